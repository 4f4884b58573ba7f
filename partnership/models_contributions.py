"""Contributions of an agreement's parties (Danish OPI agreements, state-aid rules): what each
party plans to put in, per kind, and what it actually put in, recorded over time.

One table for both: a *planned* row is the plan of one party for one kind (at most one per
party and kind, changed in place with a version); an *actual* row is one dated contribution.
Planned and actual are read together (the comparison, the state-aid account, the API), so one
table keeps each of those a single grouped query.

The rows hang on ``partners.AgreementParty``: the region is a party (no organisation) as the
partners are, and a partner user reads the rows of its own party only (``querysets``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField
from core.models import StoredDocument
from core.uploads import stored_upload_name
from partners.models import AgreementParty

from .querysets_contributions import ContributionQuerySet


class Contribution(TimeStampedModel):
    class Kind(models.TextChoices):
        HOURS = "hours", _("Hours")
        MONEY = "money", _("Money")
        KNOWLEDGE = "knowledge", _("Knowledge")
        RIGHTS = "rights", _("Rights")
        IN_KIND = "in_kind", _("In kind")

    class Record(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTUAL = "actual", _("Actual")

    # The recorder may change or remove an actual contribution this long after recording it;
    # the leaders who steer the project always may.
    EDIT_DAYS = 14

    party = models.ForeignKey(
        AgreementParty,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("party"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    record = models.CharField(_("planned or actual"), max_length=8, choices=Record.choices)
    contributed_on = models.DateField(_("date"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=1, null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = VersionField(_("version"))

    objects = ContributionQuerySet.as_manager()
    # The audit trail: who planned, recorded, changed and removed what.
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["party", "kind", "record", "contributed_on", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            # The comparison and the state-aid account: one party's rows by kind and record.
            models.Index(fields=["party", "record", "kind"], name="contribution_party_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=Q(record="planned"),
                name="partnership_contribution_one_plan_per_kind",
                violation_error_message=_("The party already has a plan for this kind."),
            ),
            models.CheckConstraint(
                condition=Q(record="planned", contributed_on__isnull=True)
                | Q(record="actual", contributed_on__isnull=False),
                name="partnership_contribution_actual_has_date",
                violation_error_message=_("An actual contribution has a date; a plan has none."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="partnership_contribution_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="hours") & Q(hours__isnull=False, hours__gte=0))
                | (~Q(kind="hours") & Q(hours__isnull=True)),
                name="partnership_contribution_hours_of_hours_only",
                violation_error_message=_(
                    "Hours are given for a contribution of hours, and only for one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.party}: {self.get_kind_display()} {self.value} {self.currency}"


def contribution_document_path(instance, filename):
    return stored_upload_name(f"contributions/{instance.contribution_id}", filename)


class ContributionDocument(StoredDocument):
    """The document behind an actual contribution (a time sheet, an invoice), optional."""

    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.CASCADE,
        related_name="document",
        verbose_name=_("contribution"),
    )
    file = models.FileField(_("file"), upload_to=contribution_document_path, max_length=300)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(StoredDocument.Meta):
        verbose_name = _("contribution document")
        verbose_name_plural = _("contribution documents")
