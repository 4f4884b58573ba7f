"""The benefits register: what a project is expected to give each year after it is done, who
answers for each benefit, and its reviews (what was realised).

A completed project keeps its register: benefits are followed up for an agreed number of months
after the project ends, and the digest reminds each benefit's owner when a review is due.
Imported at the bottom of ``portfolio.models`` so Django finds the models.
"""

import calendar
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField

# portfolio.models imports this module at its end, when these are defined.
from .models import Currency, Project, ValueIndicator, validate_single_line

FOLLOW_UP_MONTHS_MAX = 120


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Benefit(TimeStampedModel):
    """One benefit of a project: its dimension of value, whether it releases cash, its owner,
    the value expected per year (Decimal with a currency) and when it is reviewed next."""

    Dimension = ValueIndicator.Dimension

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("project")
    )
    title = models.CharField(_("benefit"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    # The value dimensions of the value indicators, so benefits and indicators add up alike.
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    cash_releasing = models.BooleanField(
        _("cash-releasing"),
        default=False,
        help_text=_("Frees money in a budget (not only time or quality)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_benefits",
        verbose_name=_("owner"),
    )
    expected_yearly_amount = models.DecimalField(
        _("expected value per year"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow-up period (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(FOLLOW_UP_MONTHS_MAX)],
        help_text=_("Months after the project ends during which the benefit is measured."),
    )
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    version = VersionField(_("version"))

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["project", "dimension", "title", "pk"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        indexes = [
            # The digest's reminder: an owner's benefits whose review is due.
            models.Index(fields=["owner", "next_review_on"], name="benefit_owner_review_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_yearly_amount__gte=0),
                name="benefit_expected_not_negative",
                violation_error_message=_("The expected value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_months__gte=1, follow_up_months__lte=FOLLOW_UP_MONTHS_MAX),
                name="benefit_follow_up_months_range",
                violation_error_message=_("The follow-up period runs from 1 to 120 months."),
            ),
        ]

    def __str__(self):
        return self.title

    def follow_up_until(self, ended_on: date | None) -> date | None:
        """The last day of the follow-up: the agreed months after the project ended."""
        if ended_on is None:
            return None
        return months_after(ended_on, self.follow_up_months)

    def review_is_due(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.next_review_on is not None and self.next_review_on <= today


class BenefitReview(models.Model):
    """A review of a benefit: when, the value realised per year (in the benefit's currency)
    and what the reviewer noted. Kept as written; a later review adds a row."""

    benefit = models.ForeignKey(
        Benefit, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("benefit")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    realised_yearly_amount = models.DecimalField(
        _("realised value per year"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("benefit review")
        verbose_name_plural = _("benefit reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(realised_yearly_amount__gte=0),
                name="benefit_review_realised_not_negative",
                violation_error_message=_("The realised value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.benefit} ({self.reviewed_on})"
