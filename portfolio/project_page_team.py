"""The project page's team (``templates/portfolio/_project_team.html``): members, requests to
join for the leaders who steer it, and the reader's own place. A part of the page like the
partners app's (``portfolio.project_page``)."""

from clinics.access import access_for
from portfolio.access import project_team_can_manage, project_team_can_request_join
from portfolio.models import ProjectMember
from portfolio.selectors.team import project_team


def project_page_team(user, project) -> dict:
    access = access_for(user)
    team = project_team(project)
    mine = next((member for member in team if member.user_id == user.pk), None)
    can_manage = project_team_can_manage(access, project)
    members = [member for member in team if not member.is_pending]
    if access.is_partner:
        # A partner user sees their own place on the team, never another party's people.
        members = [member for member in members if member == mine]
    return {
        "team_members": members,
        "team_roles": ProjectMember.Role.choices,
        # Requests to join: for the leaders who answer them, and the one who asked.
        "team_requests": [
            member for member in team if member.is_pending and (can_manage or member == mine)
        ],
        "team_can_manage": can_manage,
        "team_mine": mine,
        "team_can_join": mine is None and project_team_can_request_join(access, project),
    }
