"""Pages of a project's adoption across clinics: thin views over the selectors (reads, 404 for
what one may not read) and the services (writes, which check the rules again).

The adoption page is every reader's of the project; the comparison is the region's side
(404 for partner users); planning, updating, measuring and deciding follow
``evidence.access`` (404 for readers who may not, as for a missing project: "not allowed"
answers like "missing"). A refused or stale change shows the form
again with the error next to what was changed (400, or 409 with the current values).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.access import access_for, require_or_404
from core.forms import add_service_errors, form_has_error_code
from portfolio.selectors.projects import project_for_user_or_404

from . import selectors
from .access import (
    adoption_can_plan,
    adoption_can_update,
    clinic_measurement_can_record,
    figures_readable,
    scale_decision_can_take,
)
from .forms import (
    DATE_FIELDS,
    AdoptionCreateForm,
    AdoptionEditForm,
    ClinicMeasurementForm,
    ScaleDecisionForm,
)
from .models import ScaleDecision
from .services.adoptions import adoption_create, adoption_update
from .services.decisions import scale_decide
from .services.measurements import clinic_measurement_record


def _status(form):
    if form_has_error_code(form, "stale", "decided"):
        return 409
    return 400 if form.errors else 200


@login_required
def project_adoptions(request, pk):
    user = request.user
    project = project_for_user_or_404(user, pk)
    access = access_for(user)
    adoptions = selectors.adoptions_of_project(project)
    for adoption in adoptions:
        adoption.project = project  # the rule reads the project's lead clinic
        adoption.can_update = adoption_can_update(access, adoption)
    decisions = selectors.decisions_of_project(project)
    return render(
        request,
        "evidence/project_adoptions.html",
        {
            "project": project,
            "adoptions": adoptions,
            "decisions": decisions,
            "in_force": next((d for d in reversed(decisions) if not _corrected(d)), None),
            "can_plan": adoption_can_plan(access, project),
            "can_decide": scale_decision_can_take(access, project),
            "sees_figures": figures_readable(access),
        },
    )


def _corrected(decision: ScaleDecision) -> bool:
    try:
        return decision.corrected_by is not None
    except ScaleDecision.DoesNotExist:
        return False


@login_required
def project_comparison_view(request, pk):
    user = request.user
    project = project_for_user_or_404(user, pk)
    require_or_404(figures_readable(access_for(user)))
    return render(
        request,
        "evidence/project_comparison.html",
        {"project": project, "comparisons": selectors.project_comparison(project)},
    )


def _form_page(request, template, context, form, status=None):
    return render(
        request,
        template,
        {**context, "form": form},
        status=_status(form) if status is None else status,
    )


@login_required
def adoption_create_view(request, pk):
    user = request.user
    project = project_for_user_or_404(user, pk)
    require_or_404(adoption_can_plan(access_for(user), project))
    form = AdoptionCreateForm(
        request.POST if request.method == "POST" else None,
        clinics=selectors.adoption_clinic_choices(project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            adoption_create(
                project=project,
                clinic=form.cleaned_data["clinic"],
                actor=user,
                **form.adoption_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The adoption is recorded."))
            return redirect("evidence:project_adoptions", pk=project.pk)
    return _form_page(
        request, "evidence/adoption_form.html", {"project": project, "adoption": None}, form
    )


def _adoption_values(adoption) -> dict:
    values = {name: getattr(adoption, name) for name in DATE_FIELDS}
    return {
        **{k: v.isoformat() if v else "" for k, v in values.items()},
        "status": adoption.status,
        "abandon_reason": adoption.abandon_reason,
        "version": adoption.version,
    }


@login_required
def adoption_edit_view(request, pk):
    user = request.user
    adoption = selectors.adoption_for_user_or_404(user, pk)
    require_or_404(adoption_can_update(access_for(user), adoption))
    if request.method == "POST":
        form = AdoptionEditForm(request.POST)
        if form.is_valid():
            try:
                adoption_update(
                    adoption=adoption,
                    actor=user,
                    expected_version=form.cleaned_data["version"],
                    **form.adoption_fields(),
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "stale":
                    # Show the adoption as it is now: the refused form starts again from it.
                    adoption = selectors.adoption_for_user_or_404(user, pk)
                    form = AdoptionEditForm(_adoption_values(adoption))
                    form.is_valid()
                add_service_errors(form, error)
            else:
                messages.success(request, _("The adoption is saved."))
                return redirect("evidence:project_adoptions", pk=adoption.project_id)
    else:
        form = AdoptionEditForm(initial=_adoption_values(adoption))
    return _form_page(
        request,
        "evidence/adoption_form.html",
        {"project": adoption.project, "adoption": adoption},
        form,
    )


@login_required
def clinic_measurement_create_view(request, pk):
    user = request.user
    adoption = selectors.adoption_for_user_or_404(user, pk)
    require_or_404(clinic_measurement_can_record(access_for(user), adoption))
    form = ClinicMeasurementForm(
        request.POST if request.method == "POST" else None,
        indicators=selectors.measurable_indicators(adoption.project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            clinic_measurement_record(adoption=adoption, actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measurement is recorded."))
            return redirect("evidence:comparison", pk=adoption.project_id)
    return _form_page(
        request,
        "evidence/measurement_form.html",
        {"project": adoption.project, "adoption": adoption},
        form,
    )


@login_required
def scale_decide_view(request, pk):
    user = request.user
    project = project_for_user_or_404(user, pk)
    require_or_404(scale_decision_can_take(access_for(user), project))
    in_force = ScaleDecision.objects.filter(project=project).in_force().order_by("-pk").first()
    clinics = project.lead_clinic.region.clinics.exclude(pk=project.lead_clinic_id).order_by("name")
    form = ScaleDecisionForm(request.POST if request.method == "POST" else None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        corrects = None
        corrects_id = request.POST.get("corrects", "")
        if corrects_id:
            corrects = ScaleDecision.objects.filter(project=project, pk=corrects_id).first()
            if corrects is None:
                corrects = ScaleDecision(pk=0)  # gone or foreign: refused as stale
        try:
            scale_decide(
                project=project,
                actor=user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                clinics=list(form.cleaned_data["clinics"]),
                corrects=corrects,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("evidence:project_adoptions", pk=project.pk)
    return _form_page(
        request,
        "evidence/scale_decision_form.html",
        {
            "project": project,
            "corrects": in_force,
            "comparisons": selectors.project_comparison(project),
        },
        form,
    )
