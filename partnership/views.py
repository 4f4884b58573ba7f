"""Pages of an innovation partnership: thin views over the selectors (reads, 404 for what one
may not see) and the services (writes, which check the rules again).

The phase page is every reader's; planning, assessing, deciding and paying are the steering
leaders' (403 for readers who may not). A refused or stale change shows the page again with the
error next to what was changed (400, or 409 with the current values).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.access import access_for, require
from core.forms import add_service_errors, form_has_error_code
from partners.selectors import agreement_for_user_or_404

from . import selectors
from .access import (
    gate_can_decide,
    instalment_can_manage,
    money_of_every_partner_readable,
    phase_can_manage,
    target_can_assess,
)
from .forms import (
    GateDecisionForm,
    InstalmentForm,
    InstalmentTransitionForm,
    InterimTargetForm,
    PhaseForm,
    TargetAssessForm,
)
from .models import GateDecision
from .services.gates import gate_decide, partners_at_gate
from .services.instalments import TRANSITIONS, instalment_create, instalment_transition
from .services.phases import agreement_partners, phase_create, phase_edit, target_assess


def _status(form, conflict=False):
    if conflict or form_has_error_code(form, "stale"):
        return 409
    return 400 if form.errors else 200


# --- Phases --------------------------------------------------------------------------------------
def _phase_page(request, phase, *, row_errors=None, status=200):
    access = access_for(request.user)
    context = selectors.phase_page(request.user, phase)
    can_manage = phase_can_manage(access, phase.agreement)
    row_errors = row_errors or {}
    for instalment in context["instalments"]:
        instalment.next_statuses = TRANSITIONS[instalment.status] if can_manage else ()
        instalment.row_errors = row_errors.get(f"instalment-{instalment.pk}", [])
    for target in context["targets"]:
        target.row_errors = row_errors.get(f"target-{target.pk}", [])
    return render(
        request,
        "partnership/phase_detail.html",
        {
            "phase": phase,
            "agreement": phase.agreement,
            "project": phase.agreement.project,
            **context,
            "can_manage": can_manage,
            "can_decide": gate_can_decide(access, phase),
            "sees_every_partner": money_of_every_partner_readable(access),
            "target_statuses": TargetAssessForm.base_fields["status"].choices,
        },
        status=status,
    )


@login_required
def phase_detail(request, pk):
    return _phase_page(request, selectors.phase_for_user_or_404(request.user, pk))


def _phase_form_page(request, *, agreement, phase, form, status):
    return render(
        request,
        "partnership/phase_form.html",
        {"agreement": agreement, "project": agreement.project, "phase": phase, "form": form},
        status=status,
    )


@login_required
def phase_create_view(request, pk):
    user = request.user
    agreement = agreement_for_user_or_404(user, pk)
    require(phase_can_manage(access_for(user), agreement))
    form = PhaseForm(
        request.POST if request.method == "POST" else None, partners=agreement_partners(agreement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            phase = phase_create(
                agreement=agreement, actor=user, ceilings=form.ceilings(), **form.phase_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The phase is added."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    return _phase_form_page(
        request, agreement=agreement, phase=None, form=form, status=_status(form)
    )


@login_required
def phase_edit_view(request, pk):
    user = request.user
    phase = selectors.phase_for_user_or_404(user, pk)
    require(phase_can_manage(access_for(user), phase.agreement))
    partners = agreement_partners(phase.agreement)
    budgets = {b.organisation_id: b.ceiling for b in phase.budgets.all()}
    form = PhaseForm(
        request.POST if request.method == "POST" else None,
        instance=phase,
        partners=partners,
        budgets=budgets,
        initial={"version": phase.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            phase_edit(
                phase=phase,
                actor=user,
                expected_version=form.cleaned_data["version"],
                ceilings=form.ceilings(),
                **form.phase_fields(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                # Show the phase as it is now, what the person typed kept, and say so.
                current = type(phase).objects.get(pk=phase.pk)
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = PhaseForm(data, instance=current, partners=partners, budgets=budgets)
                form.is_valid()
                form.add_error(None, error)
                # Validating the form wrote the typed values onto ``current``: show a copy
                # read afresh, as it is now.
                form.current = type(phase).objects.get(pk=phase.pk)
                return _phase_form_page(
                    request, agreement=phase.agreement, phase=form.current, form=form, status=409
                )
            add_service_errors(form, error)
        else:
            messages.success(request, _("The phase is saved."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    return _phase_form_page(
        request, agreement=phase.agreement, phase=phase, form=form, status=_status(form)
    )


# --- Interim targets -----------------------------------------------------------------------------
@login_required
def target_create_view(request, pk):
    from .services.phases import target_create

    user = request.user
    phase = selectors.phase_for_user_or_404(user, pk)
    require(phase_can_manage(access_for(user), phase.agreement))
    partners = agreement_partners(phase.agreement)
    form = InterimTargetForm(
        request.POST if request.method == "POST" else None, phase=phase, partners=partners
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_create(
                phase=phase,
                actor=user,
                milestones=list(data["milestones"]),
                indicators=list(data["indicators"]),
                **{k: data[k] for k in ("description", "organisation", "due_on")},
                performance_level=data["performance_level"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The interim target is added."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    return render(
        request,
        "partnership/target_form.html",
        {"phase": phase, "project": phase.agreement.project, "form": form},
        status=_status(form),
    )


@login_required
@require_POST
def target_assess_view(request, pk):
    user = request.user
    target = selectors.target_for_user_or_404(user, pk)
    require(target_can_assess(access_for(user), target))
    form = TargetAssessForm(request.POST)
    phase = selectors.phase_for_user_or_404(user, target.phase_id)
    if form.is_valid():
        try:
            target_assess(
                target=target,
                actor=user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            return _phase_page(
                request,
                phase,
                row_errors={f"target-{target.pk}": error.messages},
                status=409 if getattr(error, "code", None) == "stale" else 400,
            )
        messages.success(request, _("The interim target is saved."))
        return redirect("partnership:phase_detail", pk=phase.pk)
    return _phase_page(
        request,
        phase,
        row_errors={f"target-{target.pk}": [e for es in form.errors.values() for e in es]},
        status=400,
    )


# --- Gate decisions ------------------------------------------------------------------------------
@login_required
def gate_decide_view(request, pk):
    user = request.user
    phase = selectors.phase_for_user_or_404(user, pk)
    require(gate_can_decide(access_for(user), phase))
    partners = partners_at_gate(phase)
    in_force = GateDecision.objects.filter(phase=phase).in_force().first()
    form = GateDecisionForm(request.POST if request.method == "POST" else None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            gate_decide(
                phase=phase,
                actor=user,
                note=form.cleaned_data["note"],
                outcomes=form.outcomes(),
                corrects=in_force,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The gate decision is recorded and the parties told."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    return render(
        request,
        "partnership/gate_form.html",
        {
            "phase": phase,
            "project": phase.agreement.project,
            "form": form,
            "corrects": in_force,
            **selectors.phase_page(user, phase),
        },
        status=_status(form),
    )


# --- Instalments ---------------------------------------------------------------------------------
@login_required
def instalment_create_view(request, pk):
    user = request.user
    phase = selectors.phase_for_user_or_404(user, pk)
    require(instalment_can_manage(access_for(user), phase))
    form = InstalmentForm(
        request.POST if request.method == "POST" else None,
        phase=phase,
        partners=partners_at_gate(phase),
    )
    if request.method == "POST" and form.is_valid():
        try:
            instalment_create(phase=phase, actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The instalment is planned."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    return render(
        request,
        "partnership/instalment_form.html",
        {"phase": phase, "project": phase.agreement.project, "form": form},
        status=_status(form),
    )


@login_required
@require_POST
def instalment_transition_view(request, pk):
    user = request.user
    instalment = selectors.instalment_for_user_or_404(user, pk)
    require(instalment_can_manage(access_for(user), instalment.phase))
    phase = selectors.phase_for_user_or_404(user, instalment.phase_id)
    form = InstalmentTransitionForm(request.POST)
    if form.is_valid():
        try:
            instalment_transition(
                instalment=instalment,
                actor=user,
                expected_version=form.cleaned_data["version"],
                to_status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            return _phase_page(
                request,
                phase,
                row_errors={f"instalment-{instalment.pk}": error.messages},
                status=409 if getattr(error, "code", None) == "stale" else 400,
            )
        messages.success(request, _("The instalment is saved."))
        return redirect("partnership:phase_detail", pk=phase.pk)
    return _phase_page(
        request,
        phase,
        row_errors={f"instalment-{instalment.pk}": [e for es in form.errors.values() for e in es]},
        status=400,
    )
