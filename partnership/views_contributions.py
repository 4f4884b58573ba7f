"""Pages of contributions planned and actual and of the state-aid account: thin views over
``selectors_contributions`` (reads, 404 for what one may not see) and
``services.contributions`` (writes, which check the rules again). A refused or stale change
shows the form again with the error (400, or 409 with the current values). "Not allowed"
answers 404 like "missing" on every page here (``clinics.access.require_or_404``), never 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinics.access import access_for, require_or_404
from clinics.downloads import protected_download, stored_file_download
from core.forms import add_service_errors, form_has_error_code
from partners.selectors import agreement_for_user_or_404

from . import selectors_contributions as selectors
from .access_contributions import (
    contribution_can_change,
    contribution_can_record,
    contribution_plan_can_edit,
    state_aid_account_can_read,
)
from .forms_contributions import (
    ContributionDeleteForm,
    ContributionForm,
    ContributionPlanForm,
    StateAidDateForm,
)
from .models_contributions import Contribution
from .services.contributions import (
    agreement_currency,
    contribution_delete,
    contribution_plan_set,
    contribution_record,
    contribution_update,
)


def _status(form):
    if form_has_error_code(form, "stale"):
        return 409
    return 400 if form.errors else 200


def _to_page(agreement_id):
    return redirect("partnership:agreement_contributions", pk=agreement_id)


@login_required
def contributions_view(request, pk):
    user = request.user
    agreement = agreement_for_user_or_404(user, pk)
    access = access_for(user)
    context = selectors.contributions_page(user, agreement)
    can_plan = contribution_plan_can_edit(access, agreement)
    for party in context["parties"]:
        party.can_record = contribution_can_record(access, party.party)
    for contribution in context["actuals"]:
        contribution.can_change = contribution_can_change(access, contribution)
    return render(
        request,
        "partnership/contributions.html",
        {
            "agreement": agreement,
            "project": agreement.project,
            "currency": agreement_currency(agreement),
            "can_plan": can_plan,
            "sees_state_aid": state_aid_account_can_read(access),
            **context,
        },
    )


@login_required
def contribution_plan_view(request, pk, kind):
    user = request.user
    party = selectors.party_for_user_or_404(user, pk)
    if kind not in Contribution.Kind.values:
        raise Http404
    agreement = party.agreement
    require_or_404(contribution_plan_can_edit(access_for(user), agreement))
    plan = Contribution.objects.filter(party=party, kind=kind).planned().first()
    currency = agreement_currency(agreement)
    initial = _plan_initial(party, kind, plan)
    form = ContributionPlanForm(
        request.POST if request.method == "POST" else None, currency=currency, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_plan_set(
                party=party,
                kind=kind,
                actor=user,
                value=data["value"],
                hours=data["hours"],
                note=data["note"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if form_has_error_code(form, "stale"):
                plan = Contribution.objects.filter(party=party, kind=kind).planned().first()
        else:
            messages.success(request, _("The plan is saved."))
            return _to_page(agreement.pk)
    return render(
        request,
        "partnership/contribution_plan_form.html",
        {
            "agreement": agreement,
            "project": agreement.project,
            "party": party,
            "kind_label": Contribution.Kind(kind).label,
            "current": plan,
            "currency": currency,
            "form": form,
        },
        status=_status(form),
    )


def _plan_initial(party, kind, plan) -> dict:
    """The plan as it is; a first plan starts from the agreement's terms for the party (its
    hours, its money, its knowledge and in-kind texts as the note)."""
    if plan is not None:
        return {
            "value": plan.value,
            "hours": plan.hours,
            "note": plan.note,
            "version": plan.version,
        }
    K = Contribution.Kind
    if kind == K.MONEY:
        return {"value": party.contribution_money}
    if kind == K.HOURS:
        return {"hours": party.contribution_hours}
    if kind == K.KNOWLEDGE:
        return {"note": party.contribution_knowledge}
    if kind == K.IN_KIND:
        return {"note": party.contribution_in_kind}
    return {}


@login_required
def contribution_record_view(request, pk):
    user = request.user
    party = selectors.party_for_user_or_404(user, pk)
    require_or_404(contribution_can_record(access_for(user), party))
    agreement = party.agreement
    currency = agreement_currency(agreement)
    form = ContributionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        currency=currency,
        initial={"contributed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_record(
                party=party,
                actor=user,
                kind=data["kind"],
                contributed_on=data["contributed_on"],
                value=data["value"],
                hours=data["hours"],
                note=data["note"],
                uploaded=data.get("document"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contribution is recorded."))
            return _to_page(agreement.pk)
    return render(
        request,
        "partnership/contribution_form.html",
        {
            "agreement": agreement,
            "project": agreement.project,
            "party": party,
            "currency": currency,
            "form": form,
            "contribution": None,
        },
        status=_status(form),
    )


@login_required
def contribution_edit_view(request, pk):
    user = request.user
    contribution = selectors.contribution_for_user_or_404(user, pk)
    if contribution.record != Contribution.Record.ACTUAL:
        raise Http404
    require_or_404(contribution_can_change(access_for(user), contribution))
    agreement = contribution.party.agreement
    currency = agreement_currency(agreement)
    form = ContributionForm(
        request.POST if request.method == "POST" else None,
        currency=currency,
        with_document=False,
        initial={
            "kind": contribution.kind,
            "contributed_on": contribution.contributed_on,
            "value": contribution.value,
            "hours": contribution.hours,
            "note": contribution.note,
            "version": contribution.version,
        },
    )
    current = contribution
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_update(
                contribution=contribution,
                actor=user,
                expected_version=data["version"],
                **{k: data[k] for k in ("kind", "contributed_on", "value", "hours", "note")},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # Show the contribution as it is now next to what the person typed.
            current = Contribution.objects.get(pk=contribution.pk)
        else:
            messages.success(request, _("The contribution is saved."))
            return _to_page(agreement.pk)
    return render(
        request,
        "partnership/contribution_form.html",
        {
            "agreement": agreement,
            "project": agreement.project,
            "party": contribution.party,
            "currency": currency,
            "form": form,
            "contribution": current,
        },
        status=_status(form),
    )


@login_required
@require_POST
def contribution_delete_view(request, pk):
    user = request.user
    contribution = selectors.contribution_for_user_or_404(user, pk)
    if contribution.record != Contribution.Record.ACTUAL:
        raise Http404
    require_or_404(contribution_can_change(access_for(user), contribution))
    form = ContributionDeleteForm(request.POST)
    form.is_valid()
    try:
        contribution_delete(
            contribution=contribution,
            actor=user,
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_page(contribution.party.agreement_id)
    messages.success(request, _("The contribution is removed."))
    return _to_page(contribution.party.agreement_id)


@protected_download
@login_required
@require_GET
def contribution_document_view(request, pk):
    contribution = selectors.contribution_for_user_or_404(request.user, pk)
    document = getattr(contribution, "document", None)
    if document is None:
        raise Http404
    return stored_file_download(
        document.file, filename=document.original_name, content_type=document.content_type
    )


# --- The state-aid account -------------------------------------------------------------------
def state_aid_context(request, pk):
    """The agreement, the date and the account for the state-aid page and its downloads; a
    bad date is a form error (400 on the page), never a server error."""
    user = request.user
    agreement = agreement_for_user_or_404(user, pk)
    require_or_404(state_aid_account_can_read(access_for(user)))
    form = StateAidDateForm(request.GET or None)
    on = None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"]
    if on is None:
        on = agreement.ends_on or timezone.localdate()
    account = selectors.state_aid_account(user, agreement, on) if not form.errors else []
    return {
        "agreement": agreement,
        "project": agreement.project,
        "currency": agreement_currency(agreement),
        "form": form,
        "on": on,
        "account": account,
    }


@login_required
def state_aid_view(request, pk):
    context = state_aid_context(request, pk)
    return render(
        request,
        "partnership/state_aid_account.html",
        context,
        status=400 if context["form"].errors else 200,
    )
