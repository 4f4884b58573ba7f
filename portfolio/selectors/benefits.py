"""Reads of the benefits register: a project's benefits with their latest review, the reviews a
benefit owner has due, and the expected and realised value per dimension for a board report."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from clinics.models import User
from portfolio.models import Benefit, BenefitReview, Project, ValueIndicator, ValueMeasurement


def _latest_review(field: str):
    return Subquery(
        BenefitReview.objects.filter(benefit=OuterRef("pk"))
        .order_by("-reviewed_on", "-pk")
        .values(field)[:1]
    )


def project_benefits(project: Project) -> QuerySet[Benefit]:
    """The project's benefits with their owner, latest review and all reviews: two queries."""
    return benefits_of_projects([project.pk]).order_by("dimension", "title", "pk")


def benefits_of_projects(projects) -> QuerySet[Benefit]:
    """The benefits of ``projects`` (ids or a query set of ids) with their owner, project,
    latest review (``realised_yearly_amount``, ``last_reviewed_on``) and all reviews: two
    queries whatever their number."""
    return (
        Benefit.objects.filter(project__in=projects)
        .select_related("owner", "project")
        .annotate(
            realised_yearly_amount=_latest_review("realised_yearly_amount"),
            last_reviewed_on=_latest_review("reviewed_on"),
        )
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=BenefitReview.objects.select_related("recorded_by").order_by(
                    "-reviewed_on", "-pk"
                ),
            )
        )
        .order_by("project", "dimension", "title", "pk")
    )


def benefit_of_project_or_404(project: Project, pk) -> Benefit:
    return get_object_or_404(Benefit.objects.filter(project=project).select_related("owner"), pk=pk)


def project_follow_up(project: Project, benefits) -> list[dict]:
    """Per benefit: the end of its follow-up period (the agreed months after the project ended)
    and whether the project's value indicators were measured in it (count and latest date):
    one query for all benefits."""
    if project.ended_on is None:
        return [{"benefit": benefit, "until": None} for benefit in benefits]
    measured = ValueMeasurement.objects.filter(
        indicator__project=project, measured_on__gte=project.ended_on
    ).values_list("measured_on", flat=True)
    dates = sorted(measured)
    rows = []
    for benefit in benefits:
        until = benefit.follow_up_until(project.ended_on)
        within = [day for day in dates if day <= until]
        rows.append(
            {
                "benefit": benefit,
                "until": until,
                "measurements": len(within),
                "last_measured_on": within[-1] if within else None,
                # Measured through the whole period: a measurement on or after its last day.
                "complete": bool(dates) and dates[-1] >= until,
            }
        )
    return rows


def benefit_reviews_due_for_owner(owner: User, *, until: date) -> QuerySet[Benefit]:
    """Benefits ``owner`` answers for whose next review is on or before ``until`` (the digest's
    reminder), with their project; one query. Served by ``benefit_owner_review_idx``."""
    return (
        Benefit.objects.filter(owner=owner, next_review_on__lte=until)
        .select_related("project")
        .order_by("next_review_on", "pk")
    )


def benefits_summary(user: User, projects=None) -> list[dict]:
    """Expected and realised value per year per dimension and currency, of the benefits of the
    projects ``user`` reads (``visible_to``), narrowed to ``projects`` (ids or a query set) if
    given. Realised is each benefit's latest review. For a board report: two queries."""
    visible = Project.objects.visible_to(user)
    if projects is not None:
        visible = visible.filter(pk__in=projects)
    benefits = Benefit.objects.filter(project__in=visible.values("pk"))
    latest = BenefitReview.objects.filter(
        benefit__in=benefits.values("pk"),
        pk=Subquery(
            BenefitReview.objects.filter(benefit=OuterRef("benefit"))
            .order_by("-reviewed_on", "-pk")
            .values("pk")[:1]
        ),
    )
    expected = {
        (row["dimension"], row["currency"]): row
        for row in benefits.values("dimension", "currency")
        .annotate(
            benefits=Count("pk"),
            cash_releasing=Count("pk", filter=Q(cash_releasing=True)),
            expected=Sum("expected_yearly_amount"),
            next_review_on=Max("next_review_on"),
        )
        .order_by()
    }
    realised = {
        (row["benefit__dimension"], row["benefit__currency"]): row["realised"]
        for row in latest.values("benefit__dimension", "benefit__currency")
        .annotate(realised=Sum("realised_yearly_amount"))
        .order_by()
    }
    labels = dict(ValueIndicator.Dimension.choices)
    order = list(labels)
    return [
        {
            "dimension": dimension,
            "label": labels.get(dimension, dimension),
            "currency": currency,
            "benefits": row["benefits"],
            "cash_releasing": row["cash_releasing"],
            "expected": row["expected"] or Decimal(0),
            "realised": realised.get((dimension, currency)) or Decimal(0),
        }
        for (dimension, currency), row in sorted(
            expected.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
        )
    ]
