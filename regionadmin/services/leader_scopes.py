"""A region administrator's leader scopes: who leads which clinic, or the whole region.

Scopes go to people who already have the leader role in the region (an account's role and
superuser status stay with the Django admin), and a region administrator's own scope is
granted and taken away there too, so the pages can never make anyone more powerful than a
leader of the region.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, LeaderScope, Region, User

from .common import record_actor, require_region_administrator


def leaders_of_region(region: Region) -> QuerySet[User]:
    """The people a region administrator may give a scope: active leaders whose home region it
    is or who already lead some of it; never a superuser."""
    return (
        User.objects.filter(is_active=True, role=User.Role.LEADER, is_superuser=False)
        .filter(Q(region=region) | Q(leader_scopes__region=region))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def leader_scope_add(
    *, actor: User, region: Region, leader: User, clinic: Clinic | None
) -> LeaderScope:
    require_region_administrator(actor, region)
    if not leaders_of_region(region).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": _("Choose a leader of this region.")})
    if clinic is not None and clinic.region_id != region.pk:
        raise ValidationError({"clinic": _("The clinic must belong to the same region.")})
    existing = LeaderScope.objects.filter(leader=leader, region=region)
    if existing.filter(clinic__isnull=True).exists():
        raise ValidationError(
            {"leader": _("This leader already leads the whole region.")}, code="unique"
        )
    if clinic is not None and existing.filter(clinic=clinic).exists():
        raise ValidationError(
            {"clinic": _("This leader already leads this clinic.")}, code="unique"
        )
    scope = LeaderScope(leader=leader, region=region, clinic=clinic)
    scope.full_clean()
    record_actor(scope, actor)
    scope.save()
    return scope


@transaction.atomic
def leader_scope_remove(*, scope: LeaderScope, actor: User) -> None:
    scope = LeaderScope.objects.select_for_update().get(pk=scope.pk)
    require_region_administrator(actor, scope.region_id)
    if scope.administers_region:
        # Taking region administration away is the administrators' (Django admin).
        raise PermissionDenied
    record_actor(scope, actor)
    scope.delete()
