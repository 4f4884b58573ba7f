"""The one way an idea changes status: checked against the lifecycle, recorded, notified.

Staff pages (submit, withdraw, answer) and leader pages (ask, accept, decline, merge) both
go through ``idea_transition`` so the timeline, the first-response time and the
notifications stay right whoever acts.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.models import User
from core.notifications import notify
from portfolio.models import Idea, IdeaStatusChange

S = Idea.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset(
        {S.IN_REVIEW, S.NEEDS_INFO, S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.MERGED}
    ),
    S.IN_REVIEW: frozenset({S.NEEDS_INFO, S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.MERGED}),
    # The submitter answers and sends it back (SUBMITTED); a leader may also decide directly.
    S.NEEDS_INFO: frozenset(
        {S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.MERGED}
    ),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.MERGED: frozenset(),
}

# A leader's action in these statuses is a response to the submitter (time to first response).
RESPONSE_STATUSES = frozenset({S.IN_REVIEW, S.NEEDS_INFO, S.ACCEPTED, S.DECLINED, S.MERGED})
DECISION_STATUSES = frozenset({S.ACCEPTED, S.DECLINED, S.MERGED})


def idea_mark_first_response(*, idea: Idea, actor: User, at=None) -> None:
    """Record the first time a leader answered the submitter (a question, a review, a decision)."""
    if idea.first_response_at is None and actor.pk != idea.submitter_id:
        idea.first_response_at = at or timezone.now()


@transaction.atomic
def idea_transition(*, idea: Idea, to_status: str, actor: User, note: str = "") -> Idea:
    """Move ``idea`` to ``to_status`` on behalf of ``actor``; raise ValidationError if not allowed.

    The caller has already checked that ``actor`` may act on this idea. The row is locked so
    two leaders deciding at once cannot both win.
    """
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    from_status = idea.status
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise ValidationError(
            _("An idea that is “%(from)s” cannot become “%(to)s”."),
            code="invalid_transition",
            params={"from": S(from_status).label, "to": S(to_status).label},
        )
    now = timezone.now()
    idea.status = to_status
    if to_status == S.SUBMITTED and idea.submitted_at is None:
        idea.submitted_at = now
    if to_status in RESPONSE_STATUSES:
        idea_mark_first_response(idea=idea, actor=actor, at=now)
    if to_status in DECISION_STATUSES:
        idea.decided_at = now
    if to_status == S.DECLINED:
        idea.decline_reason = note
    idea.full_clean()
    idea.save()
    IdeaStatusChange.objects.create(
        idea=idea, from_status=from_status, to_status=to_status, changed_by=actor, note=note
    )
    if actor.pk != idea.submitter_id:
        notify(
            recipient=idea.submitter,
            message=format_lazy(
                _("Your idea “{title}” is now: {status}"),
                title=idea.title,
                status=S(to_status).label,
            ),
            url=reverse("portfolio:idea_detail", args=[idea.pk]),
        )
    return idea
