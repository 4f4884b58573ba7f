"""Reads of a project's team: its members, the requests to join, and who may be added."""

from django.db.models import Q, QuerySet

from clinics.models import Clinic, LeaderScope, User
from portfolio.models import Project, ProjectMember
from portfolio.team_rules import team_partner_candidates


def project_team_users(project: Project) -> QuerySet[User]:
    """The accepted members of the project, as people: for whoever notifies the team (the stage
    changes, the discussion)."""
    return User.objects.filter(
        is_active=True,
        pk__in=ProjectMember.objects.filter(project=project, accepted_at__isnull=False).values(
            "user"
        ),
    )


def project_team(project: Project) -> list[ProjectMember]:
    """Members and requests to join, leads first, with their people (one query)."""
    return list(
        ProjectMember.objects.filter(project=project)
        .select_related("user__clinic", "user__partner_membership__organisation")
        .order_by("role", "user__first_name", "user__last_name", "pk")
    )


def project_member_for_project_or_404(project: Project, pk) -> ProjectMember:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        ProjectMember.objects.select_related("user", "project"), project=project, pk=pk
    )


def project_clinic_ids(project: Project) -> set[int]:
    return {project.lead_clinic_id, *project.other_clinics.values_list("pk", flat=True)}


def project_team_candidates(project: Project) -> QuerySet[User]:
    """Who may be on the team: staff of its clinics, leaders of its clinics (or their whole
    region), partner users of its parties (the partners app's rule, ``team_rules``)."""
    clinics = project_clinic_ids(project)
    regions = Clinic.objects.filter(pk__in=clinics).values("region")
    leaders = LeaderScope.objects.filter(
        Q(clinic__in=clinics) | Q(clinic__isnull=True, region__in=regions)
    ).values("leader")
    condition = Q(role=User.Role.STAFF, clinic__in=clinics) | Q(
        role=User.Role.LEADER, pk__in=leaders
    )
    for partners in team_partner_candidates(project):
        condition |= Q(pk__in=partners.values("pk"))
    return User.objects.filter(condition, is_active=True).order_by("first_name", "last_name", "pk")
