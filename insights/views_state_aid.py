"""The state-aid account of an agreement as a download (CSV through the one CSV writer, XLSX
through the write-only workbook of ``insights.exports``). The account itself, who reads it and
the bad-date answer are the partnership app's (``partnership.views_contributions``)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clinics.downloads import protected_download
from core.csv import csv_response
from insights.exports import xlsx_workbook
from insights.views import XLSX_CONTENT_TYPE
from partnership.views_contributions import state_aid_context


def state_aid_headers() -> list[str]:
    return [
        _("Party"),
        _("Kind"),
        _("Planned hours"),
        _("Planned value"),
        _("Actual hours"),
        _("Actual value"),
        _("Difference"),
        _("Advantage received"),
        _("Currency"),
        _("As of"),
    ]


def state_aid_rows(account, currency: str, on) -> list[list]:
    """One row per party and kind, then the party's total with the advantage it received."""
    rows = []
    for party in account:
        for kind in party.kinds:
            rows.append(
                [
                    party.name,
                    str(kind.label),
                    kind.planned_hours if kind.planned_hours is not None else "",
                    kind.planned if kind.planned is not None else "",
                    kind.actual_hours if kind.kind == "hours" else "",
                    kind.actual,
                    kind.difference if kind.difference is not None else "",
                    "",
                    currency,
                    on,
                ]
            )
        rows.append(
            [
                party.name,
                _("Total"),
                "",
                party.planned if party.planned is not None else "",
                "",
                party.actual,
                party.difference if party.difference is not None else "",
                party.advantage if party.party.organisation_id else "",
                currency,
                on,
            ]
        )
    return rows


def _filename(context, extension):
    return f"partnerskap-state-aid-{context['agreement'].pk}-{context['on']:%Y-%m-%d}.{extension}"


@protected_download
@login_required
@require_GET
def state_aid_csv(request, pk):
    context = state_aid_context(request, pk)
    if context["form"].errors:
        return HttpResponseBadRequest(" ".join(context["form"].errors["on"]))
    return csv_response(
        _filename(context, "csv"),
        state_aid_headers(),
        state_aid_rows(context["account"], context["currency"], context["on"]),
    )


@protected_download
@login_required
@require_GET
def state_aid_xlsx(request, pk):
    context = state_aid_context(request, pk)
    if context["form"].errors:
        return HttpResponseBadRequest(" ".join(context["form"].errors["on"]))
    return FileResponse(
        xlsx_workbook(
            title=_("State-aid account"),
            headers=state_aid_headers(),
            rows=state_aid_rows(context["account"], context["currency"], context["on"]),
            widths=(30, 16, 12, 16, 12, 16, 16, 16, 8, 12),
        ),
        as_attachment=True,
        filename=_filename(context, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
