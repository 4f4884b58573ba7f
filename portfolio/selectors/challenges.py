"""Challenges as staff see them (the open ones of their region and clinic), and those a leader
may edit."""

from django.db.models import F, Q, QuerySet

from clinics.models import LeaderScope, User
from clinics.selectors import clinics_led_by
from portfolio.models import Challenge


def challenges_open_for(*, user: User) -> QuerySet[Challenge]:
    """Open challenges a person may answer, soonest closing first (no closing date last)."""
    return (
        Challenge.objects.visible_to(user)
        .open()
        .select_related("clinic", "region")
        # Explicit: SQLite sorts NULL first, PostgreSQL last.
        .order_by(F("closes_on").asc(nulls_last=True), "-created_at")
    )


def challenges_editable_by(user: User) -> QuerySet[Challenge]:
    """Challenges a leader may edit: those of the clinics they lead, and the region-wide ones
    only of regions they lead as a whole (a leader of some clinics reads those, no more)."""
    if not user.is_authenticated or not user.is_leader:
        return Challenge.objects.none()
    whole_regions = LeaderScope.objects.filter(leader=user, clinic__isnull=True).values("region")
    return Challenge.objects.visible_to(user).filter(
        Q(clinic__in=clinics_led_by(user)) | Q(clinic__isnull=True, region__in=whole_regions)
    )
