"""Leaders set a project up on pages of its own: start one, change its plan, define, change
and retire its value indicators. Reading the project page stays ``leader.project_detail``.

Thin views: the project through ``visible_to`` (404 alike for missing and not yours), the
right to steer it (403 for a reader who may not), the services, bad input answered 400 next
to the field, a stale edit 409 with the current values.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.access import LEADER, access_for, clinics_led_by, role_required
from clinics.models import Clinic, User
from clinics.selectors import regions_led_by
from core.forms import add_service_errors, form_has_error_code
from portfolio.access import project_can_steer
from portfolio.forms.project_setup import (
    ProjectForm,
    ValueIndicatorForm,
    indicator_initial,
    project_initial,
)
from portfolio.models import Project, ValueIndicator
from portfolio.selectors.projects import project_for_user_or_404
from portfolio.services import project_setup as setup_services
from portfolio.services import value_indicators as indicator_services


def _project_url(project) -> str:
    return reverse("portfolio:project_detail", args=[project.pk])


def _as_data(initial: dict) -> QueryDict:
    """A form's current values as if posted: a stale form is shown again with them."""
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        elif value is None:
            data[name] = ""
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _rebound_as_stale(form_class, initial: dict, refused, **kwargs):
    """The form again, filled with what is saved now, carrying the refusal above it."""
    form = form_class(_as_data(initial), **kwargs)
    form.is_valid()
    for error in refused.non_field_errors().as_data():
        form.add_error(None, error)
    return form


def _project_form(request, *, project: Project | None = None, data=None, initial=None):
    user = request.user
    regions = regions_led_by(user)
    owners = Q(pk__in=setup_services.project_owner_candidates(regions).values("pk"))
    if project is not None:
        owners |= Q(pk=project.owner_id)  # kept, even if they have moved on since
    return ProjectForm(
        data,
        initial=initial,
        lead_clinics=clinics_led_by(user).select_related("region").order_by("name"),
        other_clinics=Clinic.objects.filter(region__in=regions)
        .select_related("region")
        .order_by("region__name", "name"),
        owners=User.objects.filter(owners).order_by("first_name", "last_name", "username"),
    )


@role_required(LEADER)
@require_http_methods(["GET", "POST"])
def project_create(request):
    led = clinics_led_by(request.user)
    initial = {"owner": request.user.pk}
    if led.count() == 1:
        initial["lead_clinic"] = led.get().pk
    form = _project_form(
        request, data=request.POST if request.method == "POST" else None, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project = setup_services.project_create(actor=request.user, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                form.add_error("lead_clinic", _("Choose a clinic you lead."))
            else:
                messages.success(request, _("The project is started in the concept stage."))
                return redirect(_project_url(project))
        status = 400
    return render(request, "portfolio/project_form.html", {"form": form}, status=status)


def _steered_project_or_refuse(request, pk) -> Project:
    project = project_for_user_or_404(request.user, pk)
    if not project_can_steer(access_for(request.user), project):
        raise PermissionDenied
    return project


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = _steered_project_or_refuse(request, pk)
    if request.method == "GET":
        form = _project_form(request, project=project, initial=project_initial(project))
        return render(request, "portfolio/project_form.html", {"form": form, "project": project})
    form = _project_form(request, project=project, data=request.POST)
    if form.is_valid():
        try:
            setup_services.project_update(
                project=project,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(_project_url(project))
    status = 400
    if form_has_error_code(form, "stale"):
        status = 409
        project = project_for_user_or_404(request.user, pk)
        current = _project_form(request, project=project)
        form = _rebound_as_stale(
            ProjectForm,
            project_initial(project),
            form,
            lead_clinics=current.fields["lead_clinic"].queryset,
            other_clinics=current.fields["other_clinics"].queryset,
            owners=current.fields["owner"].queryset,
        )
    return render(
        request, "portfolio/project_form.html", {"form": form, "project": project}, status=status
    )


# --- Value indicators --------------------------------------------------------------------------


def _indicator_of(project: Project, indicator_pk) -> ValueIndicator:
    return get_object_or_404(ValueIndicator.objects.filter(project=project), pk=indicator_pk)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    project = _steered_project_or_refuse(request, pk)
    form = ValueIndicatorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                indicator_services.value_indicator_create(
                    project=project, actor=request.user, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The value indicator is added."))
                return redirect(_project_url(project) + "#value-heading")
        status = 400
    return render(
        request,
        "portfolio/valueindicator_form.html",
        {"form": form, "project": project},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk, indicator_pk):
    project = _steered_project_or_refuse(request, pk)
    indicator = _indicator_of(project, indicator_pk)
    context = {"project": project, "indicator": indicator}
    if indicator.is_retired:
        # A retired indicator is kept as it was: nothing to edit.
        return redirect(_project_url(project) + "#value-heading")
    if request.method == "GET":
        form = ValueIndicatorForm(initial=indicator_initial(indicator))
        return render(request, "portfolio/valueindicator_form.html", {**context, "form": form})
    form = ValueIndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator_services.value_indicator_update(
                indicator=indicator,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value indicator is saved."))
            return redirect(_project_url(project) + "#value-heading")
    status = 400
    if form_has_error_code(form, "stale"):
        status = 409
        indicator.refresh_from_db()
        form = _rebound_as_stale(ValueIndicatorForm, indicator_initial(indicator), form)
        context["indicator"] = indicator
    return render(
        request, "portfolio/valueindicator_form.html", {**context, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_retire(request, pk, indicator_pk):
    """Asks first (GET), retires on the confirmation (POST)."""
    project = _steered_project_or_refuse(request, pk)
    indicator = _indicator_of(project, indicator_pk)
    error = None
    status = 200
    if request.method == "POST":
        try:
            indicator_services.value_indicator_retire(
                indicator=indicator,
                actor=request.user,
                expected_version=request.POST.get("version"),
            )
        except ValidationError as refusal:
            error = refusal.messages[0]
            status = 409
            indicator.refresh_from_db()
        else:
            messages.success(
                request, _("The value indicator is retired; its measurements are kept.")
            )
            return redirect(_project_url(project) + "#value-heading")
    return render(
        request,
        "portfolio/valueindicator_retire.html",
        {"project": project, "indicator": indicator, "error": error},
        status=status,
    )
