"""A project's result, published for citizens on ``/results/`` (issue 17, item 4).

Nothing is public by default: a leader who steers the project writes a public summary for
citizens, chooses which of the project's value indicators to show, previews the page and
publishes it. Unpublishing takes it off the public pages, the feed and the open data at once.
What the public pages show is only what is here plus the project's title, stage, clinics and
themes and its partner organisations' names: never people, shares, amounts or documents.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import TimeStampedModel
from core.concurrency import VersionField
from portfolio.models import Project, ValueIndicator

LANGUAGES = ("sv", "da", "en")


class PublicationQuerySet(models.QuerySet):
    def published(self) -> "PublicationQuerySet":
        """What anyone may read, signed in or not."""
        return self.filter(is_published=True)


class Publication(TimeStampedModel):
    """The public face of one project's result."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="publication", verbose_name=_("project")
    )
    # The address of the public page: the title's words and the project's id (unique, and
    # stable when the public title is edited later).
    slug = models.SlugField(_("address"), max_length=80, unique=True, editable=False)
    title = models.CharField(_("public title"), max_length=200)
    # Written for citizens, in the region's own language; the variants are optional.
    summary = models.TextField(_("public summary"))
    summary_sv = models.TextField(_("public summary in Swedish"), blank=True)
    summary_da = models.TextField(_("public summary in Danish"), blank=True)
    summary_en = models.TextField(_("public summary in English"), blank=True)
    patient_change = models.TextField(_("what changed for patients"), blank=True)
    patient_change_sv = models.TextField(_("what changed for patients, in Swedish"), blank=True)
    patient_change_da = models.TextField(_("what changed for patients, in Danish"), blank=True)
    patient_change_en = models.TextField(_("what changed for patients, in English"), blank=True)
    indicators = models.ManyToManyField(
        ValueIndicator,
        blank=True,
        related_name="publications",
        verbose_name=_("published value indicators"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    # When it was last published (the feed's "published"); ``updated_at`` is its "updated".
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = VersionField(_("version"))

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        indexes = [
            # The public list and the feed: the published ones, newest first.
            models.Index(fields=["is_published", "-published_at"], name="results_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | (~Q(summary="") & Q(published_at__isnull=False)),
                name="results_published_has_summary",
                violation_error_message=_("A published result needs a public summary."),
            ),
        ]

    def __str__(self):
        return self.title

    def _localized(self, field: str) -> str:
        language = (get_language() or "").split("-")[0]
        if language in LANGUAGES:
            return getattr(self, f"{field}_{language}") or getattr(self, field)
        return getattr(self, field)

    @property
    def display_summary(self) -> str:
        """The summary in the reader's language if written, else the region's."""
        return self._localized("summary")

    @property
    def display_patient_change(self) -> str:
        return self._localized("patient_change")
