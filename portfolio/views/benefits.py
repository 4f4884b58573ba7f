"""The benefits register of a project: its list (with reviews and the follow-up period), and the
steering leaders' pages to add, change and review a benefit.

Thin views: the project through ``visible_to`` (404 alike for missing and not yours); partner
users get 404 too (the register is the region's own accounts: ``benefits_can_read``); a reader
who may not keep it gets 403; bad input 400 next to the field; a stale edit 409 with the current
values.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.access import access_for
from core.forms import add_service_errors, form_has_error_code
from portfolio.access import benefit_can_manage, benefits_can_read
from portfolio.forms.benefits import BenefitForm, BenefitReviewForm, benefit_initial
from portfolio.models import Currency, Project
from portfolio.selectors.benefits import (
    benefit_of_project_or_404,
    project_benefits,
    project_follow_up,
)
from portfolio.selectors.projects import project_for_user_or_404
from portfolio.services import benefits as benefit_services
from portfolio.views.project_setup import _rebound_as_stale


def _readable_project(request, pk) -> Project:
    project = project_for_user_or_404(request.user, pk)
    if not benefits_can_read(access_for(request.user)):
        raise Http404
    return project


def _managed_project(request, pk) -> Project:
    project = _readable_project(request, pk)
    if not benefit_can_manage(access_for(request.user), project):
        raise PermissionDenied
    return project


def _list_url(project) -> str:
    return reverse("portfolio:benefit_list", args=[project.pk])


def _owners(project):
    return benefit_services.benefit_owner_candidates(project)


@login_required
@require_GET
def benefit_list(request, pk):
    project = _readable_project(request, pk)
    benefits = list(project_benefits(project))
    return render(
        request,
        "portfolio/benefit_list.html",
        {
            "project": project,
            "rows": project_follow_up(project, benefits),
            "can_manage": benefit_can_manage(access_for(request.user), project),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_create(request, pk):
    project = _managed_project(request, pk)
    initial = {
        "owner": project.owner_id,
        "currency": project.budget_currency or Currency.for_region(project.lead_clinic.region),
        "follow_up_months": 12,
    }
    data = request.POST if request.method == "POST" else None
    form = BenefitForm(data, initial=initial, owners=_owners(project))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                benefit_services.benefit_create(
                    project=project, actor=request.user, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The benefit is added to the register."))
                return redirect(_list_url(project))
        status = 400
    return render(
        request, "portfolio/benefit_form.html", {"form": form, "project": project}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, pk, benefit_pk):
    project = _managed_project(request, pk)
    benefit = benefit_of_project_or_404(project, benefit_pk)
    context = {"project": project, "benefit": benefit}
    if request.method == "GET":
        form = BenefitForm(initial=benefit_initial(benefit), owners=_owners(project))
        return render(request, "portfolio/benefit_form.html", {**context, "form": form})
    form = BenefitForm(request.POST, owners=_owners(project))
    if form.is_valid():
        try:
            benefit_services.benefit_update(
                benefit=benefit,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The benefit is saved."))
            return redirect(_list_url(project))
    status = 400
    if form_has_error_code(form, "stale"):
        status = 409
        benefit.refresh_from_db()
        form = _rebound_as_stale(
            BenefitForm, benefit_initial(benefit), form, owners=_owners(project)
        )
        context["benefit"] = benefit
    return render(request, "portfolio/benefit_form.html", {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def benefit_review(request, pk, benefit_pk):
    project = _managed_project(request, pk)
    benefit = benefit_of_project_or_404(project, benefit_pk)
    context = {"project": project, "benefit": benefit}
    if request.method == "GET":
        form = BenefitReviewForm(
            initial={"reviewed_on": timezone.localdate(), "version": benefit.version}
        )
        return render(request, "portfolio/benefit_review.html", {**context, "form": form})
    form = BenefitReviewForm(request.POST)
    if form.is_valid():
        try:
            benefit_services.benefit_review_record(
                benefit=benefit,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect(_list_url(project))
    status = 400
    if form_has_error_code(form, "stale"):
        status = 409
        benefit.refresh_from_db()
        data = form.data.copy()
        data["version"] = benefit.version
        form.data = data
        context["benefit"] = benefit
    return render(
        request, "portfolio/benefit_review.html", {**context, "form": form}, status=status
    )
