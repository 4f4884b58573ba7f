"""Challenges as staff see them: the open ones of their region and clinic. (Which ones a
leader may edit: ``portfolio.access.challenges_editable_by``.)"""

from django.db.models import F, QuerySet

from clinics.models import User
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
