"""A project's benefits register: benefits added and changed, and their reviews recorded, by the
leaders who steer the project, also after it is completed.

Every write locks the benefit, checks the version the form carried (a stale edit is refused with
code ``stale``), validates and records who changed what (simple_history: the audit trail, read on
the project page).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from portfolio.access import benefit_can_manage
from portfolio.models import Benefit, BenefitReview, Project
from portfolio.services.project_setup import project_owner_candidates

STALE_BENEFIT_MESSAGE = _(
    "Someone else changed this benefit meanwhile. Its current values are shown below: check "
    "them and save again."
)


def benefit_owner_candidates(project: Project):
    """Who may own a benefit of ``project``: the active staff and leaders of its region."""
    return project_owner_candidates([project.lead_clinic.region_id])


def _require_manage(actor: User, project: Project) -> None:
    if not benefit_can_manage(access_for(actor), project):
        raise PermissionDenied


def _check(benefit: Benefit, *, current_owner_id: int | None = None) -> None:
    owner_id = benefit.owner_id
    if owner_id != current_owner_id and not (
        benefit_owner_candidates(benefit.project).filter(pk=owner_id).exists()
    ):
        raise ValidationError(
            {"owner": _("Choose a member of staff or a leader of the project's region.")},
            code="owner",
        )


@transaction.atomic
def benefit_create(
    *,
    project: Project,
    actor: User,
    title: str,
    description: str,
    dimension: str,
    cash_releasing: bool,
    owner: User,
    expected_yearly_amount: Decimal,
    currency: str,
    follow_up_months: int,
    next_review_on: date | None,
) -> Benefit:
    _require_manage(actor, project)
    benefit = Benefit(
        project=project,
        title=(title or "").strip(),
        description=(description or "").strip(),
        dimension=dimension,
        cash_releasing=bool(cash_releasing),
        owner=owner,
        expected_yearly_amount=expected_yearly_amount,
        currency=currency,
        follow_up_months=follow_up_months,
        next_review_on=next_review_on,
    )
    _check(benefit)
    benefit.full_clean()
    benefit._history_user = actor
    benefit.save()
    return benefit


@transaction.atomic
def benefit_update(
    *,
    benefit: Benefit,
    actor: User,
    expected_version: int | str | None,
    title: str,
    description: str,
    dimension: str,
    cash_releasing: bool,
    owner: User,
    expected_yearly_amount: Decimal,
    currency: str,
    follow_up_months: int,
    next_review_on: date | None,
) -> Benefit:
    benefit = (
        Benefit.objects.select_for_update(of=("self",))
        .select_related("project__lead_clinic")
        .get(pk=benefit.pk)
    )
    _require_manage(actor, benefit.project)
    check_version(benefit, expected_version, message=STALE_BENEFIT_MESSAGE)
    current_owner_id = benefit.owner_id
    benefit.title = (title or "").strip()
    benefit.description = (description or "").strip()
    benefit.dimension = dimension
    benefit.cash_releasing = bool(cash_releasing)
    benefit.owner = owner
    benefit.expected_yearly_amount = expected_yearly_amount
    benefit.currency = currency
    benefit.follow_up_months = follow_up_months
    benefit.next_review_on = next_review_on
    _check(benefit, current_owner_id=current_owner_id)
    benefit.full_clean()
    benefit._history_user = actor
    benefit.save()
    return benefit


@transaction.atomic
def benefit_review_record(
    *,
    benefit: Benefit,
    actor: User,
    expected_version: int | str | None,
    reviewed_on: date,
    realised_yearly_amount: Decimal,
    note: str,
    next_review_on: date | None,
) -> BenefitReview:
    """Record a review (what the benefit gives per year now) and when it is reviewed next; the
    benefit's version moves, so a second reviewer working from the same page is refused."""
    benefit = (
        Benefit.objects.select_for_update(of=("self",))
        .select_related("project__lead_clinic")
        .get(pk=benefit.pk)
    )
    _require_manage(actor, benefit.project)
    check_version(benefit, expected_version, message=STALE_BENEFIT_MESSAGE)
    today = timezone.localdate()
    if reviewed_on is not None and reviewed_on > today:
        raise ValidationError(
            {"reviewed_on": _("A review cannot be dated in the future.")}, code="future"
        )
    if next_review_on is not None and reviewed_on is not None and next_review_on <= reviewed_on:
        raise ValidationError(
            {"next_review_on": _("The next review must come after this one.")},
            code="next_review_before",
        )
    review = BenefitReview(
        benefit=benefit,
        reviewed_on=reviewed_on,
        realised_yearly_amount=realised_yearly_amount,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    review.full_clean()
    review.save()
    benefit.next_review_on = next_review_on
    benefit._history_user = actor
    benefit.save()
    return review
