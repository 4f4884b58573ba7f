"""A leader's work on an idea: ask the submitter, score it, decide (accept, decline, merge).

Every status change goes through ``idea_transition``, which checks the lifecycle, locks the
row, records the timeline and the first response, and notifies the submitter. Each service
checks ``idea_can_review`` itself, so the pages, the API and admin actions are held alike.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.notifications import notify
from portfolio.access import idea_can_review
from portfolio.models import REVIEW_CRITERIA, Idea, IdeaQuestion, Project, Review, StageChange

from .idea_lifecycle import idea_mark_first_response, idea_transition

S = Idea.Status

# An idea is still open for scores, questions and a decision in these statuses.
OPEN_FOR_REVIEW = frozenset({S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO})


def _ensure_open(idea: Idea) -> None:
    if idea.status not in OPEN_FOR_REVIEW:
        raise ValidationError(
            _("This idea has already been decided (“%(status)s”)."),
            code="decided",
            params={"status": S(idea.status).label},
        )


def _require_review(actor: User, idea: Idea) -> None:
    if not idea_can_review(access_for(actor), idea):
        raise PermissionDenied


def _required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


@transaction.atomic
def idea_question_ask(*, idea: Idea, actor: User, question: str) -> IdeaQuestion:
    """Ask the submitter a question: the idea waits for them ("needs more information")."""
    _require_review(actor, idea)
    question = _required_text(question, "question", _("Write the question to the submitter."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _ensure_open(idea)
    entry = IdeaQuestion(idea=idea, asked_by=actor, question=question)
    entry.full_clean()
    entry.save()
    if idea.status != S.NEEDS_INFO:
        idea_transition(idea=idea, to_status=S.NEEDS_INFO, actor=actor, note=question)
    else:
        # Already waiting for the submitter: no status change, but they must hear of it.
        notify(
            recipient=idea.submitter,
            message=format_lazy(_("New question about your idea “{title}”"), title=idea.title),
            url=reverse("portfolio:idea_detail", args=[idea.pk]),
        )
    return entry


@transaction.atomic
def review_save(
    *,
    idea: Idea,
    reviewer: User,
    scores: dict[str, int],
    comment: str = "",
    recommendation: str = Review.Recommendation.UNDECIDED,
) -> Review:
    """Store ``reviewer``'s scores (1–5 on each criterion); a second save replaces their first.

    A first review of a newly submitted idea moves it to "in review": the submitter sees that
    someone is looking at it, and it counts as the first response.
    """
    _require_review(reviewer, idea)
    missing = [field for field in REVIEW_CRITERIA if field not in scores]
    if missing:
        raise ValidationError(
            {field: _("Give a score from 1 to 5.") for field in missing}, code="required"
        )
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    _ensure_open(idea)
    review = Review.objects.filter(idea=idea, reviewer=reviewer).first() or Review(
        idea=idea, reviewer=reviewer
    )
    for field in REVIEW_CRITERIA:
        setattr(review, field, scores[field])
    review.comment = comment.strip()
    review.recommendation = recommendation
    review.full_clean()
    review._history_user = reviewer
    review.save()
    if idea.status == S.SUBMITTED:
        idea_transition(idea=idea, to_status=S.IN_REVIEW, actor=reviewer)
    elif idea.first_response_at is None and reviewer.pk != idea.submitter_id:
        idea_mark_first_response(idea=idea, actor=reviewer)
        idea.save(update_fields=["first_response_at", "updated_at", "version"])
    return review


def idea_review_summary(*, idea: Idea) -> dict:
    """The mean of every leader's scores, per criterion and overall (one query)."""
    summary = Review.objects.filter(idea=idea).aggregate(
        count=Count("pk"), **{field: Avg(field) for field in REVIEW_CRITERIA}
    )
    means = [summary[field] for field in REVIEW_CRITERIA if summary[field] is not None]
    summary["overall"] = sum(means) / len(means) if means else None
    return summary


@transaction.atomic
def idea_accept(*, idea: Idea, actor: User, note: str = "", title: str = "") -> Project:
    """Accept the idea: a project in the concept stage, led by the idea's clinic.

    The submitter is carried over through the project's link to the idea (shown on the
    project page as the idea's submitter, who also hears of every stage change); the accepting
    leader owns the project, since an owner steers it through the gates.
    """
    _require_review(actor, idea)
    idea = idea_transition(idea=idea, to_status=S.ACCEPTED, actor=actor, note=note.strip())
    project = Project(
        title=(title or "").strip() or idea.title,
        summary="\n\n".join(part for part in (idea.problem, idea.proposal) if part),
        idea=idea,
        lead_clinic=idea.clinic,
        owner=actor,
        stage=Project.Stage.CONCEPT,
        started_on=timezone.localdate(),
    )
    project.full_clean()
    project._history_user = actor
    project.save()
    project.themes.set(idea.themes.all())
    change = StageChange(
        project=project,
        from_stage="",
        to_stage=Project.Stage.CONCEPT,
        decided_by=actor,
        note=note.strip() or str(_("Accepted from the idea.")),
    )
    change.full_clean()
    change.save()
    return project


@transaction.atomic
def idea_decline(*, idea: Idea, actor: User, reason: str) -> Idea:
    """Decline with a reason the submitter sees."""
    _require_review(actor, idea)
    reason = _required_text(reason, "reason", _("Tell the submitter why the idea is declined."))
    return idea_transition(idea=idea, to_status=S.DECLINED, actor=actor, note=reason)


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, actor: User, note: str = "") -> Idea:
    """Merge ``idea`` into ``into``: it points to the idea that is kept, and becomes "merged"."""
    _require_review(actor, idea)
    if idea.pk == into.pk:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")})
    into = Idea.objects.select_for_update().get(pk=into.pk)
    if into.status in (S.DRAFT, S.WITHDRAWN, S.MERGED, S.DECLINED):
        raise ValidationError(
            {"into": _("Merge into an idea that is still open or accepted.")}, code="invalid"
        )
    if into.clinic.region_id != idea.clinic.region_id:
        raise ValidationError({"into": _("Merge only ideas of the same region.")})
    # The target must be set before the status becomes "merged" (a database constraint), and
    # idea_transition re-reads the row under lock: write the link first, in this transaction,
    # so a refused transition rolls it back.
    Idea.objects.filter(pk=idea.pk).update(merged_into=into, updated_at=timezone.now())
    return idea_transition(idea=idea, to_status=S.MERGED, actor=actor, note=note.strip())
