"""A project's team: ask to join, answer a request, add a member, change a role, remove or
leave. The team is shown on the project page (``portfolio/project_page_team.py``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.access import LEADER, STAFF, access_for, require, role_required
from core.forms import add_service_errors
from portfolio.access import project_team_can_manage
from portfolio.forms.team import ProjectMemberAddForm, ProjectMemberRoleForm
from portfolio.selectors.projects import project_for_user_or_404
from portfolio.selectors.team import project_member_for_project_or_404, project_team_candidates
from portfolio.services import team as team_services

MEMBER_ACTIONS = ("accept", "decline", "role", "remove")


def _to_team(project):
    return redirect(reverse("portfolio:project_detail", args=[project.pk]) + "#team-heading")


@role_required(STAFF)
@require_POST
def project_join(request, pk):
    project = project_for_user_or_404(request.user, pk)
    try:
        team_services.project_join_request(project=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You asked to join the team. A leader of the project will answer.")
        )
    return _to_team(project)


@login_required
@require_POST
def project_member(request, pk, member_pk):
    """One action on one membership: accept, decline, role (steering leaders), remove (they,
    or the member, who leaves)."""
    project = project_for_user_or_404(request.user, pk)
    member = project_member_for_project_or_404(project, member_pk)
    action = request.POST.get("action")
    if action not in MEMBER_ACTIONS:
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
    try:
        if action in ("accept", "decline"):
            team_services.project_join_decide(
                member=member, accept=action == "accept", actor=request.user
            )
            done = (
                _("The request was accepted.")
                if action == "accept"
                else _("The request was declined.")
            )
        elif action == "role":
            form = ProjectMemberRoleForm(request.POST)
            require(project_team_can_manage(access_for(request.user), project))
            if not form.is_valid():
                messages.error(request, _("Choose a role."))
                return _to_team(project)
            team_services.project_member_change_role(
                member=member, role=form.cleaned_data["role"], actor=request.user
            )
            done = _("The role was changed.")
        else:
            team_services.project_member_remove(member=member, actor=request.user)
            done = (
                _("You left the team.")
                if member.user_id == request.user.pk
                else _("The member was removed.")
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _to_team(project)


@role_required(LEADER)
def project_team_add(request, pk):
    project = project_for_user_or_404(request.user, pk)
    require(project_team_can_manage(access_for(request.user), project))
    candidates = project_team_candidates(project).exclude(
        project_memberships__project=project, project_memberships__accepted_at__isnull=False
    )
    status = 200
    if request.method == "POST":
        form = ProjectMemberAddForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                team_services.project_member_add(
                    project=project,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The person was added to the team."))
                return _to_team(project)
        status = 400
    else:
        form = ProjectMemberAddForm(candidates=candidates)
    return render(
        request,
        "portfolio/projectmember_add.html",
        {"project": project, "form": form},
        status=status,
    )
