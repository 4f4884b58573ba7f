import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import Clinic, Language, Region, TimeStampedModel
from core.concurrency import VersionField
from core.models import StoredDocument
from core.uploads import stored_upload_name

from .querysets import ChallengeQuerySet, CommentQuerySet, IdeaQuerySet, ProjectQuerySet

# Every character Python's str.splitlines() breaks a line at.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """A title is one line: it becomes an e-mail subject, a list entry, a file name."""
    if _LINE_BREAK.search(value or ""):
        raise ValidationError(_("Write this on one line, without line breaks."), code="line_break")


class ThemeQuerySet(models.QuerySet):
    def for_regions(self, regions) -> "ThemeQuerySet":
        """The themes people of ``regions`` (ids or a query set) choose from: the shared
        ones and the regions' own, archived ones left out."""
        return self.filter(Q(region__isnull=True) | Q(region__in=regions), is_active=True)


class Theme(models.Model):
    """A portfolio theme, e.g. digitalisation and data, prevention, patient safety.

    Shared by every region (``region`` empty, kept in the Django admin) or a region's own,
    which its region administrators keep on the site's pages.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("region"),
        help_text=_("Empty: a theme every region uses."),
    )
    # The name in the region's own words, shown when no name in the reader's language is set.
    name = models.CharField(_("name"), max_length=120)
    # A name per language, so Danish leaders do not read Swedish in filters and charts.
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_da = models.CharField(_("name in Danish"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    # Archived, not deleted: ideas and projects keep the theme, new choices no longer offer it.
    is_active = models.BooleanField(_("active"), default=True)
    version = VersionField(_("version"))
    history = HistoricalRecords(excluded_fields=["version"])

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="theme_unique_name_in_region"),
        ]

    def __str__(self):
        return self.display_name

    @staticmethod
    def localized(names: dict, language: str | None = None) -> str:
        """The name for ``language`` (the active one) from a row of ``name``/``name_<lang>``
        values, falling back to ``name``: for querysets read with ``values()``."""
        language = (language or get_language() or "").split("-")[0]
        return names.get(f"name_{language}") or names.get("name") or ""

    @property
    def display_name(self) -> str:
        """The theme's name in the active language, else its own name."""
        return self.localized(
            {
                "name": self.name,
                "name_sv": self.name_sv,
                "name_da": self.name_da,
                "name_en": self.name_en,
            }
        )


class Challenge(TimeStampedModel):
    """A need posted by a clinic or a leader; staff answer it with ideas."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="challenges", verbose_name=_("region")
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("clinic"),
        help_text=_("Empty: a challenge for the whole region."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="challenges_posted",
        verbose_name=_("posted by"),
    )
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    open_to_partners = models.BooleanField(
        _("open to partners"), default=False, help_text=_("Partner users may read it.")
    )
    # Optimistic lock (core.concurrency): an edit form based on an older save is refused.
    version = VersionField(_("version"))

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        indexes = [
            # Open challenges of a region, soonest closing first (staff's challenge list).
            models.Index(fields=["region", "closes_on"], name="challenge_region_closes_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.closes_on is None or self.closes_on >= timezone.localdate()


class Idea(TimeStampedModel):
    """A staff member's problem as seen in daily care, and optionally a proposal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        NEEDS_INFO = "needs_info", _("Needs more information")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged")

    # Statuses that wait for a leader's action (the review queue).
    AWAITING_REVIEW = (Status.SUBMITTED, Status.IN_REVIEW)
    # Statuses in which the submitter may still edit the idea.
    EDITABLE = (Status.DRAFT, Status.NEEDS_INFO)

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    problem = models.TextField(
        _("problem or need"), help_text=_("What you see in daily care that could be better.")
    )
    proposal = models.TextField(
        _("proposed solution"), blank=True, help_text=_("Optional: a need alone is a valid idea.")
    )
    benefit_patients = models.TextField(_("value for patients"), blank=True)
    benefit_staff = models.TextField(_("value for staff"), blank=True)
    benefit_economy = models.TextField(_("value for the economy"), blank=True)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("clinic")
    )
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("challenge"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="ideas", verbose_name=_("themes")
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("submitter"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    assigned_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_ideas",
        verbose_name=_("assigned leader"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    # A one-time token of the form the idea was created from: a second POST of the same form
    # (double click, browser retry) finds the idea already made instead of making a second one.
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, editable=False
    )
    # Optimistic lock (core.concurrency): the submitter's edit form from another tab or device
    # is refused once anything (an edit, a review step) has saved the idea since.
    version = VersionField(_("version"))

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            # The review queue: a clinic's ideas in a status, oldest submission first.
            models.Index(fields=["clinic", "status", "submitted_at"], name="idea_review_queue_idx"),
            # "My ideas": one submitter's ideas, newest first.
            models.Index(fields=["submitter", "-created_at"], name="idea_submitter_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="idea_declined_has_reason",
                violation_error_message=_("A declined idea needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="idea_merged_has_target",
                violation_error_message=_("A merged idea must point to the idea it joined."),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("id")),
                name="idea_not_merged_into_itself",
            ),
            # Every idea that went past the draft has a submission date, except a draft its
            # submitter withdrew without ever submitting it: that one was never submitted.
            models.CheckConstraint(
                condition=Q(status__in=("draft", "withdrawn")) | Q(submitted_at__isnull=False),
                name="idea_submitted_has_date",
                violation_error_message=_("A submitted idea needs its submission date."),
            ),
            models.UniqueConstraint(
                fields=["submission_token"],
                condition=Q(submission_token__isnull=False),
                name="idea_unique_submission_token",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable_by_submitter(self):
        return self.status in self.EDITABLE


class IdeaStatusChange(models.Model):
    """The idea's timeline: every status change, when and by whom."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("idea")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=Idea.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Idea.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("idea status change")
        verbose_name_plural = _("idea status changes")

    def __str__(self):
        return f"{self.idea}: {self.from_status or '-'} → {self.to_status}"


def idea_attachment_path(instance, filename):
    # A short random name on disk; the original is kept in ``original_name`` for the download.
    return stored_upload_name(f"ideas/{instance.idea_id}", filename)


class IdeaAttachment(TimeStampedModel):
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("idea")
    )
    file = models.FileField(_("file"), upload_to=idea_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class IdeaQuestion(TimeStampedModel):
    """A reviewer's question to the submitter, and the answer."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="questions", verbose_name=_("idea")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="idea_question_answer_has_date",
            ),
        ]

    def __str__(self):
        return self.question[:60]


REVIEW_CRITERIA = (
    "score_patient_value",
    "score_staff_value",
    "score_economic_value",
    "score_feasibility",
    "score_strategic_fit",
)


class Review(TimeStampedModel):
    """One leader's scores for an idea on the named criteria (1–5 each)."""

    class Recommendation(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        DECLINE = "decline", _("Decline")
        MORE_INFO = "more_info", _("Ask for more information")
        UNDECIDED = "undecided", _("Undecided")

    CRITERIA = REVIEW_CRITERIA

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("idea")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    score_patient_value = models.PositiveSmallIntegerField(_("value for patients"))
    score_staff_value = models.PositiveSmallIntegerField(_("value for staff"))
    score_economic_value = models.PositiveSmallIntegerField(_("economic value"))
    score_feasibility = models.PositiveSmallIntegerField(_("feasibility"))
    score_strategic_fit = models.PositiveSmallIntegerField(_("strategic fit"))
    recommendation = models.CharField(
        _("recommendation"),
        max_length=10,
        choices=Recommendation.choices,
        default=Recommendation.UNDECIDED,
    )
    comment = models.TextField(_("comment"), blank=True)

    # The audit trail (django-simple-history): who changed which score, when, old and new.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["idea", "reviewer"], name="review_one_per_reviewer"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"review_{field}_1_to_5",
                    violation_error_message=_("Scores run from 1 to 5."),
                )
                for field in REVIEW_CRITERIA
            ],
        ]

    def __str__(self):
        return f"{self.idea} – {self.reviewer}"

    @property
    def mean_score(self):
        return sum(getattr(self, field) for field in self.CRITERIA) / len(self.CRITERIA)


class Currency(models.TextChoices):
    """The currencies a region budgets in."""

    SEK = "SEK", _("Swedish kronor (SEK)")
    DKK = "DKK", _("Danish kroner (DKK)")
    EUR = "EUR", _("Euro (EUR)")

    @classmethod
    def for_region(cls, region) -> str:
        """A Danish region counts in DKK, the others in SEK (as the ``money`` filter does)."""
        return cls.DKK if getattr(region, "language", None) == "da" else cls.SEK


class Project(TimeStampedModel):
    """An idea (or initiative) being developed, piloted and implemented with partners."""

    class Stage(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        DEVELOPMENT = "development", _("Development")
        PILOT = "pilot", _("Pilot in the clinic")
        IMPLEMENTATION = "implementation", _("Implementation")
        SCALE_UP = "scale_up", _("Scale-up")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    class Health(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")

    ACTIVE_STAGES = (
        Stage.CONCEPT,
        Stage.DEVELOPMENT,
        Stage.PILOT,
        Stage.IMPLEMENTATION,
        Stage.SCALE_UP,
    )

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    idea = models.OneToOneField(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("idea"),
    )
    lead_clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead clinic")
    )
    other_clinics = models.ManyToManyField(
        Clinic, blank=True, related_name="joined_projects", verbose_name=_("other clinics")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("owner"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.CONCEPT, db_index=True
    )
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.ON_TRACK, db_index=True
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="projects", verbose_name=_("themes")
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The plan, which the leaders set and change; ``started_on``/``ended_on`` are what happened.
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    # Money is a Decimal, never a float; the currency is the region's (SEK or DKK) by default.
    budget_amount = models.DecimalField(
        _("planned budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, blank=True
    )
    # Optimistic lock (core.concurrency): a gate decision taken on a page that is out of date
    # (another gate, a status update, an edit since) is refused.
    version = VersionField(_("version"))

    objects = ProjectQuerySet.as_manager()
    # The audit trail: stage, health, owner and every other field, who and when (not the lock's
    # counter, which says nothing a reader needs).
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            # Dashboard counts by stage and health within a clinic's portfolio.
            models.Index(fields=["lead_clinic", "stage", "health"], name="project_portfolio_idx"),
            # The dashboard's project list and exports, in title order: the first page is read
            # in index order instead of sorting every visible project.
            models.Index(fields=["title", "id"], name="project_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(planned_start_on__isnull=True)
                | Q(planned_end_on__gte=models.F("planned_start_on")),
                name="project_planned_end_after_start",
                violation_error_message=_("The planned end cannot come before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="project_budget_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self):
        return self.stage in self.ACTIVE_STAGES


# The gates a project passes: one step forward, or stopped from any active stage. Each gate
# has a short checklist the leaders tick (all of it) before the project passes; the ticked keys
# are kept on the StageChange. Keys are stored, so rename a label freely but never a key.
STAGE_ORDER = (
    Project.Stage.CONCEPT,
    Project.Stage.DEVELOPMENT,
    Project.Stage.PILOT,
    Project.Stage.IMPLEMENTATION,
    Project.Stage.SCALE_UP,
    Project.Stage.COMPLETED,
)
GATE_CRITERIA = {
    Project.Stage.DEVELOPMENT: (
        ("need", _("The clinic's need is described and confirmed by the clinic")),
        ("owner", _("An owner and a team with time set aside are named")),
        ("value", _("The value sought is stated with at least one indicator")),
    ),
    Project.Stage.PILOT: (
        ("solution", _("A solution is ready to be tried in care")),
        ("safety", _("Patient safety, data protection and legal questions are settled")),
        ("plan", _("The pilot has a plan: where, how long, what is measured")),
    ),
    Project.Stage.IMPLEMENTATION: (
        ("results", _("The pilot's results are measured against the baseline")),
        ("decision", _("The clinic's management decides to implement")),
        ("funding", _("Running costs and support are funded")),
    ),
    Project.Stage.SCALE_UP: (
        ("routine", _("The solution is part of the clinic's daily routine")),
        ("others", _("Other clinics or regions are ready to take it up")),
        ("agreement", _("Rights and shares for a wider use are agreed with the partners")),
    ),
    Project.Stage.COMPLETED: (
        ("value", _("The value created is measured and reported")),
        ("handover", _("Running is handed over to the line organisation")),
        ("lessons", _("Lessons learned are written down and shared")),
    ),
    Project.Stage.STOPPED: (
        ("reason", _("The reason for stopping is written in the decision note")),
        ("told", _("The clinic, the submitter and the partners are told")),
        ("lessons", _("Lessons learned are written down and shared")),
    ),
}


def stage_next_stages(stage: str) -> tuple[str, ...]:
    """Where a gate may take a project from ``stage``: one step forward, or stopped; nowhere
    once it has ended."""
    if stage not in Project.ACTIVE_STAGES:
        return ()
    return (STAGE_ORDER[STAGE_ORDER.index(stage) + 1], Project.Stage.STOPPED)


def gate_criteria_keys(stage: str) -> list[str]:
    """The keys of every criterion of the gate into ``stage``."""
    return [key for key, _label in GATE_CRITERIA.get(stage, ())]


class StageChange(models.Model):
    """A gate decision: the project moved from one stage to another, why, and which of the
    gate's criteria the leaders ticked."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(
        _("from stage"), max_length=16, choices=Project.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=16, choices=Project.Stage.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.TextField(_("gate decision note"), blank=True)
    # Keys of GATE_CRITERIA[to_stage]; empty for the first stage and for rows older than gates.
    criteria_met = models.JSONField(_("gate criteria met"), default=list, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="stage_change_changes_stage"
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_stage or '-'} → {self.to_stage}"

    def criteria_met_labels(self) -> list[str]:
        """The ticked criteria, in the gate's order, as the reader's language says them."""
        met = set(self.criteria_met or ())
        return [label for key, label in GATE_CRITERIA.get(self.to_stage, ()) if key in met]


class StatusUpdate(TimeStampedModel):
    """A leader's report on a project, with the health it reports."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_updates", verbose_name=_("project")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        verbose_name=_("author"),
    )
    health = models.CharField(_("health"), max_length=10, choices=Project.Health.choices)
    text = models.TextField(_("update"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        indexes = [models.Index(fields=["project", "-created_at"], name="status_update_recent_idx")]

    def __str__(self):
        return f"{self.project} ({self.created_at:%Y-%m-%d})"


class ValueIndicator(TimeStampedModel):
    """One dimension of the value a project creates: baseline, target and latest measurement."""

    class Dimension(models.TextChoices):
        PATIENT_QUALITY = "patient_quality", _("Quality for patients")
        CARE_PATHWAY = "care_pathway", _("Care pathway")
        STAFF = "staff", _("Staff")
        ECONOMY = "economy", _("Economy")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="value_indicators",
        verbose_name=_("project"),
    )
    dimension = models.CharField(
        _("dimension"), max_length=16, choices=Dimension.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("measured"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    # Retired, not deleted: its measurements stay in the project's history, but it no longer
    # counts on the dashboard and takes no new measurements.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    version = VersionField(_("version"))

    # Edits and retirement, who and when.
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    # Denormalised from the newest ValueMeasurement so the dashboard reads one row per indicator.
    latest_value = models.DecimalField(
        _("latest measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    latest_measured_on = models.DateField(_("latest measured on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "dimension", "name"]
        verbose_name = _("value indicator")
        verbose_name_plural = _("value indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="value_indicator_unique_name"),
            models.CheckConstraint(
                condition=Q(latest_value__isnull=True, latest_measured_on__isnull=True)
                | Q(latest_value__isnull=False, latest_measured_on__isnull=False),
                name="value_indicator_latest_has_date",
            ),
            # A target the indicator is meant to move towards, on its better side. Indicators
            # older than the rule whose target equalled their baseline were retired by the
            # migration that added it: a retired one keeps what it had.
            models.CheckConstraint(
                condition=Q(retired_at__isnull=False)
                | Q(direction="higher", target__gt=models.F("baseline"))
                | Q(direction="lower", target__lt=models.F("baseline")),
                name="value_indicator_target_beyond_baseline",
                violation_error_message=_(
                    "The target must be beyond the baseline in the indicator's direction."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def progress_percent(self) -> float | None:
        """How far the latest measurement has come from baseline to target, in per cent (as
        the dashboard computes it); None before the first measurement."""
        if self.latest_value is None or self.target == self.baseline:
            return None
        return float((self.latest_value - self.baseline) * 100 / (self.target - self.baseline))

    @property
    def on_target(self) -> bool:
        if self.latest_value is None:
            return False
        if self.direction == self.Direction.LOWER:
            return self.latest_value <= self.target
        return self.latest_value >= self.target


class ValueMeasurement(TimeStampedModel):
    indicator = models.ForeignKey(
        ValueIndicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("value indicator"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-measured_on", "-pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"


# Innovation time is recorded in quarter hours, at most a full working week per project.
INNOVATION_HOURS_MAX = Decimal("40")
INNOVATION_HOURS_STEP = Decimal("0.25")


def validate_quarter_hours(value) -> None:
    """Hours in steps of a quarter: 1.25 is a time a person can tell, 1.3 is a typing slip."""
    if value is not None and (Decimal(value) / INNOVATION_HOURS_STEP) % 1 != 0:
        raise ValidationError(
            _("Enter the hours in quarters of an hour (for example 1.25 or 1.5)."),
            code="step",
        )


def project_document_path(instance, filename):
    # A short random name on disk; the original is kept in ``original_name`` for the download.
    return stored_upload_name(f"projects/{instance.project_id}", filename)


class ProjectDocument(StoredDocument):
    """A file the project carries (a plan, a report, minutes), with who added it and when."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    file = models.FileField(_("file"), upload_to=project_document_path, max_length=300)
    # The audit trail: who added and who removed which document, and when.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(StoredDocument.Meta):
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")


class InnovationTime(TimeStampedModel):
    """Hours a person spends on a project in one week: the time clinics set aside for it.

    One row per person, project and week (the week's Monday). The row's clinic is the person's
    clinic (whose time it is), or for a person without one (a leader) the project's lead clinic:
    ``portfolio.selectors.innovation_time`` computes it, so a person who moves clinic takes no
    history along and the rows need no copy of it.
    """

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="innovation_time",
        verbose_name=_("project"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="innovation_time",
        verbose_name=_("person"),
    )
    week = models.DateField(_("week (Monday)"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(INNOVATION_HOURS_MAX),
            validate_quarter_hours,
        ],
    )
    version = VersionField(_("version"))

    class Meta:
        ordering = ["-week"]
        verbose_name = _("innovation time")
        verbose_name_plural = _("innovation time")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person", "week"], name="innovation_time_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=INNOVATION_HOURS_MAX),
                name="innovation_time_hours_0_to_40",
                violation_error_message=_("Hours must be between 0 and 40 a week."),
            ),
        ]
        indexes = [
            # The leaders' totals per month read a period of weeks.
            models.Index(fields=["week"], name="innovation_time_week_idx"),
        ]

    def __str__(self):
        return f"{self.person} – {self.project} ({self.week}): {self.hours} h"


class ProjectMember(TimeStampedModel):
    """A person on a project's team: its clinics' staff, leaders, partner users of its parties.

    A staff member's request to join is a row that is not yet accepted (``accepted_at`` empty);
    a steering leader accepts it (the row stays) or declines it (the row goes). Members hear of
    the project's gate decisions (``portfolio.services.team``).
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")
        FOLLOWER = "follower", _("Follower")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="members", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Empty while the person's request to join waits for a steering leader.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "role", "pk"]
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_member_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.project} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None


class DigestPreference(TimeStampedModel):
    """How often an innovation leader wants the status digest, and in which language."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")
        NONE = "none", _("Never (unsubscribed)")

    leader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("leader"),
    )
    frequency = models.CharField(
        _("how often"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_("Digests arrive on Monday morning in your region's time zone."),
    )
    language = models.CharField(
        _("language of the digest"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: the language you use in Partnerskap."),
    )
    send_when_empty = models.BooleanField(
        _("send when nothing changed"),
        default=True,
        help_text=_("Get a short “no changes” digest rather than none."),
    )

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.leader}: {self.get_frequency_display()}"


class DigestDelivery(TimeStampedModel):
    """One leader's digest for one period: the claim that makes sending exactly-once.

    The row is inserted, under the unique constraint on (leader, period end), in the same
    transaction that decides a digest is due; whoever loses that race sends nothing. The
    rendered message is kept with it (an outbox), so a retry sends what was claimed.
    """

    class Status(models.TextChoices):
        READY = "ready", _("Ready to send")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (nothing changed)")
        FAILED = "failed", _("Failed")

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        verbose_name=_("leader"),
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.READY
    )
    recipient = models.EmailField(_("recipient"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("plain text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "leader"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            # A period is identified by its end (the schedule's slot): two beat processes or a
            # retried task compute the same slot, so the second insert fails.
            models.UniqueConstraint(
                fields=["leader", "period_end"], name="digest_delivery_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="digest_delivery_period_not_empty",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="digest_delivery_sent_has_date",
            ),
        ]
        indexes = [
            # The sender's outbox query: ready digests whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="digest_delivery_outbox_idx"),
        ]

    def __str__(self):
        return f"{self.leader} – {self.period_end:%Y-%m-%d}"


class Comment(models.Model):
    """One comment in the discussion of an idea or of a project (exactly one of the two).

    Plain text (shown escaped, with its line breaks). Its author may edit it for
    ``EDIT_MINUTES`` after writing it, and delete it while nobody has answered after it.
    """

    MAX_LENGTH = 4000
    EDIT_MINUTES = 15

    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("idea"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("project"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Optimistic lock (core.concurrency): the author's edit from a second tab is refused.
    version = VersionField(_("version"))

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # A thread's page, oldest first, and its count.
            models.Index(fields=["idea", "created_at"], name="comment_idea_thread_idx"),
            models.Index(fields=["project", "created_at"], name="comment_project_thread_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, project__isnull=True)
                | Q(idea__isnull=True, project__isnull=False),
                name="comment_on_idea_or_project",
                violation_error_message=_("A comment belongs to an idea or to a project."),
            ),
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty"),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def target(self):
        """The idea or the project whose discussion this is."""
        return self.idea if self.idea_id else self.project


# The benefits register lives in its own module; imported here so Django finds its models.
from .models_benefits import Benefit, BenefitReview  # noqa: E402, F401
