"""The page where a leader who steers a project chooses how its progress rolls up
(``partnership.progress``) and weighs its milestones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.access import access_for, require
from core.forms import add_service_errors, form_has_error_code
from partners.models import Milestone
from portfolio.selectors.projects import project_for_user_or_404

from .access import progress_mode_can_choose
from .forms import ProgressSettingForm
from .models import MilestoneWeight, ProgressSetting
from .progress import DEFAULT_MODE, project_progress
from .services.progress import project_progress_set


def _current(project):
    setting = ProgressSetting.objects.filter(project=project).first()
    milestones = list(Milestone.objects.filter(project=project).order_by("due_on", "pk"))
    weights = dict(
        MilestoneWeight.objects.filter(milestone__project=project).values_list(
            "milestone_id", "weight"
        )
    )
    return setting, milestones, weights


@login_required
def project_progress_view(request, pk):
    user = request.user
    project = project_for_user_or_404(user, pk)
    require(progress_mode_can_choose(access_for(user), project))
    setting, milestones, weights = _current(project)
    version = setting.version if setting else 0
    initial = {"mode": setting.mode if setting else DEFAULT_MODE, "version": version}
    form = ProgressSettingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        milestones=milestones,
        weights=weights,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project_progress_set(
                    project=project,
                    actor=user,
                    expected_version=form.cleaned_data["version"],
                    mode=form.cleaned_data["mode"],
                    weights=form.weights(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The progress roll-up is saved."))
                return redirect("portfolio:project_detail", pk=project.pk)
        status = 409 if form_has_error_code(form, "stale") else 400
        if status == 409:
            # What is saved now, beside what the person typed (kept in the form).
            setting, milestones, weights = _current(project)
            data = request.POST.copy()
            data["version"] = str(setting.version if setting else 0)
            errors = form.errors
            form = ProgressSettingForm(data, milestones=milestones, weights=weights)
            form.is_valid()
            form._errors = errors
    return render(
        request,
        "partnership/progress_form.html",
        {
            "project": project,
            "form": form,
            "current": setting,
            "current_weights": weights,
            "rollup": project_progress(project),
        },
        status=status,
    )
