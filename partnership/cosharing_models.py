"""Co-sharing of cost and gain by measured outcomes: the agreed rule per sharing indicator,
each party's agreed percentages, and every computed result with the measurement it came from.

The arithmetic is ``partnership.cosharing`` (documented there); these rows keep its inputs and
outputs. Imported by ``partnership.models`` so Django finds them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField
from partners.models import Agreement, PartnerOrganisation
from portfolio.models import ValueIndicator, ValueMeasurement

from .cosharing_querysets import (
    SharingResultQuerySet,
    SharingResultShareQuerySet,
    SharingRulePartyQuerySet,
    SharingRuleQuerySet,
)


def _percent_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=_("A share is between 0 and 100 per cent."),
    )


class SharingRule(TimeStampedModel):
    """A value indicator of the agreement's project named as a sharing indicator, with the
    agreed floor and ceiling of improvement (in the indicator's unit, from its baseline)."""

    class Currency(models.TextChoices):
        SEK = "SEK", "SEK"
        DKK = "DKK", "DKK"
        EUR = "EUR", "EUR"

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="sharing_rules",
        verbose_name=_("agreement"),
    )
    indicator = models.ForeignKey(
        ValueIndicator,
        on_delete=models.PROTECT,
        related_name="sharing_rules",
        verbose_name=_("sharing indicator"),
    )
    floor = models.DecimalField(
        _("floor of improvement"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Improvement from the baseline, in the indicator's unit."),
    )
    ceiling = models.DecimalField(
        _("ceiling of improvement"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Improvement from the baseline, in the indicator's unit."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    cost_amount = models.DecimalField(
        _("cost to share"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: the agreed cost of the solution, split by the cost shares."),
    )
    gain_per_unit = models.DecimalField(
        _("gain per unit of improvement"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: what one unit of improvement is worth, split by the gain shares."),
    )
    note = models.TextField(_("note"), blank=True)
    version = VersionField(_("version"))

    objects = SharingRuleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["agreement", "indicator__name", "pk"]
        verbose_name = _("co-sharing rule")
        verbose_name_plural = _("co-sharing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"],
                name="partnership_sharing_rule_one_per_indicator",
                violation_error_message=_("This indicator already has a co-sharing rule."),
            ),
            models.CheckConstraint(
                condition=Q(floor__lt=F("ceiling")),
                name="partnership_sharing_rule_floor_below_ceiling",
                violation_error_message=_("The floor must be below the ceiling."),
            ),
            models.CheckConstraint(
                condition=Q(cost_amount__isnull=True) | Q(cost_amount__gte=0),
                name="partnership_sharing_rule_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(gain_per_unit__isnull=True) | Q(gain_per_unit__gte=0),
                name="partnership_sharing_rule_gain_not_negative",
                violation_error_message=_("The gain per unit cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.indicator}"


class SharingRuleParty(models.Model):
    """One party's agreed percentages under a rule; an empty organisation is the region.
    Across a rule's parties each column sums to 100 (the service; a deferred trigger on
    PostgreSQL, migration ``cosharing_party_sums_trigger``)."""

    rule = models.ForeignKey(
        SharingRule, on_delete=models.CASCADE, related_name="parties", verbose_name=_("rule")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_rule_parties",
        verbose_name=_("organisation"),
        help_text=_("Empty: the region."),
    )
    gain_share_at_floor = models.DecimalField(
        _("share of the gain at the floor (%)"), max_digits=5, decimal_places=2
    )
    gain_share_at_ceiling = models.DecimalField(
        _("share of the gain at the ceiling (%)"), max_digits=5, decimal_places=2
    )
    cost_share_below_floor = models.DecimalField(
        _("share of the cost below the floor (%)"), max_digits=5, decimal_places=2
    )

    objects = SharingRulePartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "organisation__name"]
        verbose_name = _("co-sharing party")
        verbose_name_plural = _("co-sharing parties")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partnership_sharing_party_unique",
                violation_error_message=_("Each organisation can be a party only once."),
            ),
            models.UniqueConstraint(
                fields=["rule"],
                condition=Q(organisation__isnull=True),
                name="partnership_sharing_party_one_region",
                violation_error_message=_("The region must be a party exactly once."),
            ),
            _percent_check("gain_share_at_floor", "partnership_sharing_gain_floor_percent"),
            _percent_check("gain_share_at_ceiling", "partnership_sharing_gain_ceiling_percent"),
            _percent_check("cost_share_below_floor", "partnership_sharing_cost_percent"),
        ]

    def __str__(self):
        return f"{self.organisation or _('Region')}: {self.gain_share_at_floor}"


class SharingResult(models.Model):
    """One computation of a rule from one measurement, kept as it was: the inputs (copied,
    since the rule and the indicator change later) and the general steps. Each party's part
    is a ``SharingResultShare``. Recomputing never overwrites: a changed rule (a new version)
    gives a new row."""

    class Band(models.TextChoices):
        BELOW_FLOOR = "below_floor", _("Below the floor")
        BETWEEN = "between", _("Between floor and ceiling")
        CAPPED = "capped", _("At or beyond the ceiling")

    rule = models.ForeignKey(
        SharingRule, on_delete=models.PROTECT, related_name="results", verbose_name=_("rule")
    )
    rule_version = models.PositiveIntegerField(_("rule version"))
    measurement = models.ForeignKey(
        ValueMeasurement,
        on_delete=models.PROTECT,
        related_name="sharing_results",
        verbose_name=_("measurement"),
    )
    measured_on = models.DateField(_("measured on"))
    measured_value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=6, choices=ValueIndicator.Direction.choices
    )
    floor = models.DecimalField(_("floor of improvement"), max_digits=14, decimal_places=2)
    ceiling = models.DecimalField(_("ceiling of improvement"), max_digits=14, decimal_places=2)
    improvement = models.DecimalField(_("improvement"), max_digits=15, decimal_places=2)
    band = models.CharField(_("outcome"), max_length=12, choices=Band.choices)
    position = models.DecimalField(
        _("position between floor and ceiling"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3)
    cost_amount = models.DecimalField(
        _("cost to share"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    gain_amount = models.DecimalField(
        _("gain to share"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    steps = models.JSONField(_("steps"), default=list)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed for"),
    )

    objects = SharingResultQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "-measured_on", "-pk"]
        verbose_name = _("co-sharing result")
        verbose_name_plural = _("co-sharing results")
        indexes = [
            # The agreement page and the API: a rule's results, newest first.
            models.Index(fields=["rule", "-measured_on"], name="sharing_result_rule_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "measurement", "rule_version"],
                name="partnership_sharing_result_once",
                violation_error_message=_("This measurement is already computed for the rule."),
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=0, position__lte=1),
                name="partnership_sharing_result_position_range",
                violation_error_message=_("The position is between 0 and 1."),
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.measured_value} ({self.measured_on})"


class SharingResultShare(models.Model):
    """One party's computed share of a result; an empty organisation is the region."""

    result = models.ForeignKey(
        SharingResult, on_delete=models.CASCADE, related_name="shares", verbose_name=_("result")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_result_shares",
        verbose_name=_("organisation"),
    )
    gain_share = models.DecimalField(_("share of the gain (%)"), max_digits=5, decimal_places=2)
    cost_share = models.DecimalField(_("share of the cost (%)"), max_digits=5, decimal_places=2)
    gain_amount = models.DecimalField(
        _("gain"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    cost_amount = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    steps = models.JSONField(_("steps"), default=list)

    objects = SharingResultShareQuerySet.as_manager()

    class Meta:
        ordering = ["result", "organisation__name"]
        verbose_name = _("co-sharing share")
        verbose_name_plural = _("co-sharing shares")
        constraints = [
            models.UniqueConstraint(
                fields=["result", "organisation"],
                condition=Q(organisation__isnull=False),
                name="partnership_sharing_share_unique",
            ),
            models.UniqueConstraint(
                fields=["result"],
                condition=Q(organisation__isnull=True),
                name="partnership_sharing_share_one_region",
            ),
            _percent_check("gain_share", "partnership_sharing_share_gain_percent"),
            _percent_check("cost_share", "partnership_sharing_share_cost_percent"),
        ]

    def __str__(self):
        return f"{self.organisation or _('Region')}: {self.gain_share} / {self.cost_share}"
