"""The leader's review queue and the ideas an idea may be merged into."""

from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, QuerySet
from django.db.models.functions import Cast

from clinics.models import Clinic, User
from core.search import text_search
from portfolio.models import REVIEW_CRITERIA, Idea, Review

S = Idea.Status

QUEUE_STATUSES = {
    "waiting": (S.SUBMITTED, S.IN_REVIEW),
    "needs_info": (S.NEEDS_INFO,),
    "open": (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO),
}


def _mean_of_criteria():
    total = sum(
        (F(f"reviews__{name}") for name in REVIEW_CRITERIA[1:]), F(f"reviews__{REVIEW_CRITERIA[0]}")
    )
    return Avg(Cast(total, FloatField()) / len(REVIEW_CRITERIA))


def review_queue(
    *, user: User, status: str = "waiting", clinic: Clinic | None = None, q: str = ""
) -> QuerySet[Idea]:
    """Ideas of the clinics ``user`` leads that wait for a leader, oldest submission first."""
    ideas = Idea.objects.visible_to(user).filter(status__in=QUEUE_STATUSES[status])
    if clinic is not None:
        ideas = ideas.filter(clinic=clinic)
    if q:
        ideas = text_search(ideas, q, ("title", "problem"))
    return (
        ideas.select_related("clinic", "submitter", "challenge")
        .annotate(
            review_count=Count("reviews"),
            mean_score=_mean_of_criteria(),
            reviewed_by_me=Exists(Review.objects.filter(idea=OuterRef("pk"), reviewer=user)),
        )
        .order_by("submitted_at", "pk")
    )


def idea_for_review_or_404(user: User, pk: int) -> Idea:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Idea.objects.visible_to(user).select_related(
            "clinic__region", "submitter", "challenge", "merged_into"
        ),
        pk=pk,
    )


def merge_targets_for(user: User, idea: Idea) -> QuerySet[Idea]:
    """Ideas of the same clinic, visible to the leader, still open or accepted."""
    return (
        Idea.objects.visible_to(user)
        .filter(
            clinic=idea.clinic_id,
            status__in=(S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.ACCEPTED),
        )
        .exclude(pk=idea.pk)
        .order_by("title", "pk")
    )
