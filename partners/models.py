from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField
from core.models import StoredDocument
from core.uploads import stored_upload_name
from portfolio.models import Project

from .querysets import AgreementQuerySet, MilestoneQuerySet


class PartnerOrganisation(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        ACADEMIA = "academia", _("University or research institute")
        FOUNDATION = "foundation", _("Foundation")
        PATIENT_ORG = "patient_org", _("Patient organisation")
        PUBLIC_BODY = "public_body", _("Other public body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Whose region administrators keep it on the site's pages (empty: the Django admin only).
    # It does not limit which regions' projects the organisation may be party to.
    region = models.ForeignKey(
        "clinics.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("region"),
        help_text=_("The region whose administrators keep this organisation's details."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    version = VersionField(_("version"))
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class PartnerMembership(TimeStampedModel):
    """Makes a user a partner user of exactly one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    # Partner engagement (partners/engagement.py): when the latest invitation was sent (empty
    # for accounts made otherwise) and when the person first logged in.
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    first_login_at = models.DateTimeField(_("first login"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Agreement(TimeStampedModel):
    """Who contributes what, and who carries which share of the risk and the value.

    A signed agreement never changes: a new version (with ``previous_version`` set) replaces it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    responsibilities = models.TextField(_("shared responsibilities"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # Optimistic lock (core.concurrency): how often this version was saved. Not ``version``,
    # which numbers the versions of the agreement. An edit or a confirmation based on an older
    # save is refused: nobody overwrites or signs terms they have not seen.
    revision = VersionField(_("revision"))

    objects = AgreementQuerySet.as_manager()
    # The audit trail (django-simple-history): who changed what, when, old and new values.
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "title", "version"], name="agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "proposed"]) | Q(signed_at__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement has the date it was signed."),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self):
        """Signed, active and ended agreements change only through a new version."""
        return self.status in (self.Status.SIGNED, self.Status.ACTIVE, self.Status.ENDED)


def agreement_document_path(instance, filename):
    # A short random name on disk; the original is kept in ``original_name`` for the download.
    return stored_upload_name(f"agreements/{instance.agreement_id}", filename)


class AgreementDocument(StoredDocument):
    """A file an agreement carries (the signed contract, an annex), with who added it and when."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    file = models.FileField(_("file"), upload_to=agreement_document_path, max_length=300)
    # The audit trail: who added and who removed which document, and when.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(StoredDocument.Meta):
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")


class AgreementParty(TimeStampedModel):
    """One party's part in an agreement. An empty organisation stands for the region itself.

    Shares are percentages. Across an agreement's parties the risk shares and the value shares
    each sum to exactly 100 once it leaves draft: database triggers (migration 0002) refuse
    anything else, whatever writes the rows.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
        help_text=_("Empty: the region."),
    )
    contribution_hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=1, default=0)
    contribution_money = models.DecimalField(
        _("money (SEK/DKK)"), max_digits=14, decimal_places=2, default=0
    )
    contribution_knowledge = models.TextField(_("knowledge"), blank=True)
    contribution_in_kind = models.TextField(_("in kind"), blank=True)
    risk_share = models.DecimalField(_("share of risk (%)"), max_digits=5, decimal_places=2)
    value_share = models.DecimalField(
        _("share of value and IP income (%)"), max_digits=5, decimal_places=2
    )
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agreement", "organisation__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                condition=Q(organisation__isnull=False),
                name="agreement_party_unique_organisation",
                violation_error_message=_("Each organisation can be a party only once."),
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(organisation__isnull=True),
                name="agreement_party_one_region",
                violation_error_message=_("The region must be a party exactly once."),
            ),
            models.CheckConstraint(
                condition=Q(risk_share__gte=0, risk_share__lte=100),
                name="agreement_party_risk_share_percent",
                violation_error_message=_("A share is between 0 and 100 per cent."),
            ),
            models.CheckConstraint(
                condition=Q(value_share__gte=0, value_share__lte=100),
                name="agreement_party_value_share_percent",
                violation_error_message=_("A share is between 0 and 100 per cent."),
            ),
            models.CheckConstraint(
                condition=Q(contribution_hours__gte=0, contribution_money__gte=0),
                name="agreement_party_contributions_not_negative",
                violation_error_message=_("Hours and money cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.party_name}"

    @property
    def party_name(self):
        if self.organisation_id:
            return self.organisation.name
        return str(self.agreement.project.lead_clinic.region)


class Milestone(TimeStampedModel):
    """A joint, dated goal of a project with a responsible party."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_party = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible party"),
        help_text=_("Empty: the region."),
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones_to_confirm",
        verbose_name=_("responsible leader"),
        help_text=_("Confirms the milestone when a partner marks it done."),
    )
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    # Optimistic concurrency: every save through the service bumps it, a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [
            # Overdue / due-soon lists: open milestones by due date.
            models.Index(fields=["status", "due_on"], name="milestone_open_due_idx"),
            # The partner start page's actions: an organisation's open milestones by due date
            # (overdue, due within 14 days, blocked), a few rows and their counts.
            models.Index(
                fields=["responsible_party", "due_on"],
                condition=~Q(status="done"),
                name="milestone_party_open_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="milestone_progress_percent",
                violation_error_message=_("Progress runs from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100),
                name="milestone_done_is_complete",
                violation_error_message=_("A milestone that is done has progress 100."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(status="done"),
                name="milestone_confirmed_only_when_done",
                violation_error_message=_("Only a milestone that is done can be confirmed."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        """``milestone_overdue_q`` for one loaded milestone (load it with its project)."""
        return (
            self.status != self.Status.DONE
            and self.due_on < timezone.localdate()
            and self.project.stage in Project.ACTIVE_STAGES
        )


def milestone_evidence_path(instance, filename):
    # A short random name on disk; the original is kept in ``evidence_name`` for the download.
    return stored_upload_name(f"milestones/{instance.milestone_id}", filename)


class MilestoneUpdate(models.Model):
    """One change to a milestone: who, when, what changed (old → new) and why."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        CONFIRM = "confirm", _("Confirmed")
        REOPEN = "reopen", _("Reopened")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="updates", verbose_name=_("milestone")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="milestone_updates",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.UPDATE)
    # {"field": [old, new], ...}
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=milestone_evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("milestone update")
        verbose_name_plural = _("milestone updates")

    def __str__(self):
        return f"{self.milestone} – {self.created_at:%Y-%m-%d %H:%M}"


class IPItem(TimeStampedModel):
    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("Invention disclosure")
        PATENT = "patent", _("Patent")
        LICENCE = "licence", _("Licence")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="ip_items", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["agreement", "kind", "title"]
        verbose_name = _("IP item")
        verbose_name_plural = _("IP items")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class IncomeEntry(TimeStampedModel):
    """Income received under an agreement; split between the parties by their value shares."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="income", verbose_name=_("agreement")
    )
    ip_item = models.ForeignKey(
        IPItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="income",
        verbose_name=_("IP item"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    received_on = models.DateField(_("received on"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("income entry")
        verbose_name_plural = _("income entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="income_entry_amount_positive",
                violation_error_message=_("The amount must be positive."),
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} ({self.received_on})"


class Reinvestment(TimeStampedModel):
    """Part of the region's share of an income entry put back into a project."""

    income = models.ForeignKey(
        IncomeEntry,
        on_delete=models.PROTECT,
        related_name="reinvestments",
        verbose_name=_("income entry"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="reinvestments", verbose_name=_("project")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reinvestment")
        verbose_name_plural = _("reinvestments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="reinvestment_amount_positive",
                violation_error_message=_("The amount must be positive."),
            ),
        ]

    def __str__(self):
        return f"{self.amount} → {self.project}"
