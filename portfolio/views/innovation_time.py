""" "My innovation time": staff and leaders record their hours per project and week."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.access import LEADER, STAFF, role_required
from core.forms import add_service_errors, form_has_error_code
from portfolio.forms.innovation_time import InnovationTimeForm, WeekField
from portfolio.selectors.innovation_time import (
    innovation_time_editable_weeks,
    innovation_time_of_person,
    innovation_time_projects_for,
    innovation_time_row,
)
from portfolio.services.innovation_time import innovation_time_record

PAGE_SIZE = 20


def _initial(request, projects, weeks) -> dict:
    """The form as "Edit" opens it (``?project=&week=``): the row's hours and version, if any;
    else this week."""
    initial = {"week": weeks[0]}
    try:
        week = WeekField().clean(request.GET.get("week", ""))
    except ValidationError:
        week = None
    project_id = request.GET.get("project", "")
    project = None
    if project_id.isascii() and project_id.isdigit() and len(project_id) <= 18:
        project = projects.filter(pk=int(project_id)).first()
    if week in weeks:
        initial["week"] = week
    if project is not None:
        initial["project"] = project
        row = innovation_time_row(request.user, project=project, week=initial["week"])
        if row is not None:
            initial.update(hours=row.hours, version=row.version)
    return initial


@role_required(STAFF, LEADER)
def my_innovation_time(request):
    weeks = innovation_time_editable_weeks()
    projects = innovation_time_projects_for(request.user)
    status = 200
    if request.method == "POST":
        form = InnovationTimeForm(request.POST, projects=projects, weeks=weeks)
        if form.is_valid():
            data = form.cleaned_data
            try:
                innovation_time_record(
                    project=data["project"],
                    week=data["week"],
                    hours=data["hours"],
                    expected_version=data["version"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your hours were saved."))
                return redirect("portfolio:my_innovation_time")
        stale = form_has_error_code(form, "stale")
        status = 409 if stale else 400
        if stale:
            # Show the hours as they are now, with their version: saving again replaces them.
            row = innovation_time_row(
                request.user, project=form.cleaned_data["project"], week=form.cleaned_data["week"]
            )
            form.data = form.data.copy()
            form.data["version"] = row.version if row else ""
            current_hours = row.hours if row else None
        else:
            current_hours = None
    else:
        form = InnovationTimeForm(
            initial=_initial(request, projects, weeks), projects=projects, weeks=weeks
        )
        current_hours = None
    page = Paginator(innovation_time_of_person(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portfolio/innovationtime_mine.html",
        {
            "form": form,
            "page": page,
            "editable_weeks": weeks,
            "current_hours": current_hours,
            "has_projects": projects.exists(),
        },
        status=status,
    )
