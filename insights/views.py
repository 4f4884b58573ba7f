"""The leaders' dashboard and its CSV and Excel exports (URLs under /portfolio/)."""

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinics.access import LEADER, role_required
from clinics.downloads import protected_download
from clinics.selectors import clinics_led_by, regions_led_by
from core.csv import csv_response
from insights import exports
from insights.forms import PortfolioFilterForm
from insights.selectors.dashboard import (
    PortfolioFilters,
    dashboard_needing_action,
    portfolio_project_list,
)
from insights.selectors.dashboard_cache import PortfolioCache
from partners.models import PartnerOrganisation
from portfolio.selectors.innovation_time import (
    innovation_time_totals_by_clinic,
    innovation_time_totals_by_clinic_project_month,
)

PAGE_SIZE = 25


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_form(request, portfolio_cache: PortfolioCache):
    user = request.user
    return PortfolioFilterForm(
        request.GET or None,
        regions=regions_led_by(user).order_by("name"),
        clinics=clinics_led_by(user).order_by("name"),
        partners=PartnerOrganisation.objects.filter(pk__in=portfolio_cache.partner_ids()).order_by(
            "name"
        ),
    )


@role_required(LEADER)
@require_GET
def dashboard(request):
    portfolio_cache = PortfolioCache(request.user)
    status, body = portfolio_cache.page(
        request.GET, render=lambda: _dashboard_body(request, portfolio_cache)
    )
    totals = innovation_time_totals_by_clinic(request.user)
    this_month = timezone.localdate().replace(day=1)
    return render(
        request,
        "portfolio/portfolio_dashboard.html",
        {
            "body": body,
            "innovation_time_totals": totals,
            "innovation_time_this_month": [total for total in totals if total.month == this_month],
            "needing_action": dashboard_needing_action(request.user),
        },
        status=status,
    )


def _filter_chips(form: PortfolioFilterForm, filters: PortfolioFilters) -> list[dict]:
    """The active filters as removable chips: each links to this view without it."""
    chips = []
    for name in PortfolioFilters.__dataclass_fields__:
        value = getattr(filters, name)
        if value in ("", None):
            continue
        field = form.fields[name]
        shown = dict(field.choices).get(value, value) if name in ("stage", "health") else value
        chips.append(
            {"label": field.label, "value": str(shown), "query": filters.as_query(**{name: ""})}
        )
    return chips


def _dashboard_body(request, portfolio_cache: PortfolioCache) -> tuple[int, str]:
    form = _filter_form(request, portfolio_cache)
    filters = form.filters()
    board, figures = portfolio_cache.figures(
        filters,
        render=lambda board: render_to_string(
            "portfolio/_dashboard_figures.html", {"board": board}, request
        ),
    )
    page = Paginator(
        portfolio_project_list(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    body = render_to_string(
        "portfolio/_dashboard_body.html",
        {
            "form": form,
            "chips": _filter_chips(form, filters),
            "board": board,
            "figures": figures,
            "page": page,
            "query": query.urlencode(),
        },
        request,
    )
    return (400 if form.is_bound and form.errors else 200), body


def _export_filters(request) -> PortfolioFilters:
    return _filter_form(request, PortfolioCache(request.user)).filters()


def _export_filename(extension: str) -> str:
    return f"partnerskap-portfolio-{timezone.localdate():%Y-%m-%d}.{extension}"


@protected_download
@role_required(LEADER)
@require_GET
def export_csv(request):
    projects = portfolio_project_list(user=request.user, filters=_export_filters(request))
    return csv_response(
        _export_filename("csv"), exports.export_headers(), exports.portfolio_csv_rows(projects)
    )


@protected_download
@role_required(LEADER)
@require_GET
def export_xlsx(request):
    projects = portfolio_project_list(user=request.user, filters=_export_filters(request))
    # Streamed from the temporary file the workbook was written to, row by row.
    return FileResponse(
        exports.portfolio_xlsx(projects),
        as_attachment=True,
        filename=_export_filename("xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


def _innovation_time_filename(extension: str) -> str:
    return f"partnerskap-innovation-time-{timezone.localdate():%Y-%m-%d}.{extension}"


@protected_download
@role_required(LEADER)
@require_GET
def export_innovation_time_csv(request):
    """Hours per clinic, project and month of the leader's clinics (last six months)."""
    totals = innovation_time_totals_by_clinic_project_month(request.user)
    return csv_response(
        _innovation_time_filename("csv"),
        exports.innovation_time_headers(),
        exports.innovation_time_rows(totals),
    )


@protected_download
@role_required(LEADER)
@require_GET
def export_innovation_time_xlsx(request):
    totals = innovation_time_totals_by_clinic_project_month(request.user)
    return FileResponse(
        exports.innovation_time_xlsx(totals),
        as_attachment=True,
        filename=_innovation_time_filename("xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
