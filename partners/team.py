"""The partners app's part of a project's team (``portfolio.team_rules``): the partner users of
the organisations that are party to the project's current agreement."""

from django.db.models import QuerySet

from clinics.models import User
from partners.models import Agreement


def team_partner_candidates(project) -> QuerySet[User]:
    parties = Agreement.objects.current().filter(project=project).values("parties__organisation")
    return User.objects.filter(
        role=User.Role.PARTNER,
        is_active=True,
        partner_membership__organisation__in=parties,
    )
