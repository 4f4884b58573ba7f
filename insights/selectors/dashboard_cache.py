"""The dashboard's figures, cached until something they count changes.

Computing the figures means a dozen aggregates over every project, milestone, agreement, idea
and value indicator a leader can see: over 100 ms at the scale of a large region. They change
far less often than leaders look at them, so they are cached per *scope* (the clinics the
leader leads), filter and day, under a *data version* read from the database on every request.

The data version is the newest entry of the logs that every change the figures depend on
already writes: the audit trail of projects, milestones, agreements, their parties and reviews
(django-simple-history, which also records deletions and the services' bulk updates), ideas'
status changes, value measurements and status updates. It is one indexed ``max(id)`` per
log, so any web process or worker sees a change at once, whatever cache backend each one has.
A change that writes no log entry (renaming a clinic or a theme, an idea's text edited while
it waits) shows after ``DASHBOARD_CACHE_SECONDS`` at the latest.

Invalidation is per scope: an entry keeps the data version it was computed at. When the
version has moved, the log entries written since (a short range of each log's primary key) are
asked whether any concerns the scope's projects or ideas; if none does (a change in another
clinic or region), the entry is kept under the new version and nothing is recomputed.
"""

import hashlib
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language

from clinics.access import access_for, clinics_led_by
from clinics.models import User
from partners.models import Agreement, AgreementParty, Milestone
from partnership.models import (
    Contribution,
    Instalment,
    InterimTarget,
    MilestoneWeight,
    PhaseBudget,
    ProgressSetting,
)
from portfolio.models import (
    Idea,
    IdeaStatusChange,
    Project,
    Review,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
)

from .dashboard import Dashboard, PortfolioFilters, portfolio_dashboard

# Logs whose newest id moves whenever a figure may have changed.
_VERSION_LOGS = (
    Project.history.model,
    Milestone.history.model,
    Agreement.history.model,
    AgreementParty.history.model,
    Review.history.model,
    IdeaStatusChange,
    ValueMeasurement,
    ValueIndicator.history.model,  # an indicator added, changed or retired
    StatusUpdate,  # a status update ends a project's staleness
    InterimTarget.history.model,  # a target assessed, or its date moved ("needs your action")
    Instalment.history.model,  # an instalment moved on (due, approved, paid)
    Contribution.history.model,  # a contribution planned or recorded ("behind plan")
    ProgressSetting.history.model,  # a project's progress roll-up mode
    MilestoneWeight.history.model,  # a milestone's weight in the roll-up
    PhaseBudget.history.model,  # a phase's weight in the roll-up by phase budget
)


def portfolio_data_version() -> str:
    """One query: the newest id of each log, as a string that changes with any of them."""
    quote = connection.ops.quote_name
    # Table and column names come from our own models, never from input.
    newest = [
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in _VERSION_LOGS
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(newest)}")
        return ".".join(str(value or 0) for value in cursor.fetchone())


def _scope_conditions(user: User) -> dict:
    """For each log of ``_VERSION_LOGS``: the condition under which one of its entries
    concerns the figures of ``user``'s scope (their projects, and the ideas of their clinics).
    A log missing here counts every entry as concerning every scope."""
    clinics = clinics_led_by(user)
    projects = Project.objects.visible_to(user).values("pk")
    ideas = Idea.objects.filter(clinic__in=clinics).values("pk")
    project_history = Project.history.model
    return {
        # A project of the scope now, or once (one moved to a clinic outside the scope leaves
        # the scope's figures too).
        project_history: Q(id__in=projects)
        | Q(id__in=project_history.objects.filter(lead_clinic__in=clinics).values("id")),
        Milestone.history.model: Q(project__in=projects),
        Agreement.history.model: Q(project__in=projects),
        AgreementParty.history.model: Q(
            agreement__in=Agreement.objects.filter(project__in=projects).values("pk")
        ),
        Review.history.model: Q(idea__in=ideas),
        IdeaStatusChange: Q(idea__in=ideas),
        ValueMeasurement: Q(indicator__project__in=projects),
        ValueIndicator.history.model: Q(project__in=projects),
        StatusUpdate: Q(project__in=projects),
        InterimTarget.history.model: Q(phase__agreement__project__in=projects),
        Instalment.history.model: Q(phase__agreement__project__in=projects),
        Contribution.history.model: Q(party__agreement__project__in=projects),
        ProgressSetting.history.model: Q(project__in=projects),
        MilestoneWeight.history.model: Q(milestone__project__in=projects),
        PhaseBudget.history.model: Q(phase__agreement__project__in=projects),
    }


class PortfolioCache:
    """The cached reads of one leader's dashboard request.

    Entries are keyed by the leader's *scope* (the figures depend on the person only through
    the clinics they lead; superusers see everything), so leaders with the same scope share
    them. Each keeps the data version it was computed at; the version is read once per
    request."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def _scope(self) -> str:
        if self.user.is_superuser:
            return "all"
        # The request's Access: the same read serves the person menu (clinics.access).
        return ",".join(map(str, sorted(access_for(self.user).led_clinic_ids)))

    @cached_property
    def _version(self) -> str:
        return portfolio_data_version()

    def _key(self, kind: str, *parts) -> str:
        text = "\x1f".join(map(str, (kind, self._scope, get_language(), *parts)))
        return f"portfolio:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"

    def _get_or_compute(self, key: str, compute):
        if settings.DASHBOARD_CACHE_SECONDS <= 0:
            return compute()
        entry = cache.get(key)
        if entry is not None:
            version, value = entry
            if version == self._version:
                return value
            if not self._scope_changed_since(version):
                # Changes elsewhere only: the figures stand, now under the new version.
                cache.set(key, (self._version, value), settings.DASHBOARD_CACHE_SECONDS)
                return value
        value = compute()
        cache.set(key, (self._version, value), settings.DASHBOARD_CACHE_SECONDS)
        return value

    def _scope_changed_since(self, version: str) -> bool:
        """Whether a log entry written after ``version`` concerns this scope: one indexed
        look at each log that moved, over the entries written since. Asked once per request
        and version (the page, its figures and the partner list share the answer)."""
        answers = self.__dict__.setdefault("_changed_since", {})
        if version not in answers:
            answers[version] = self._scope_changed_since_uncached(version)
        return answers[version]

    def _scope_changed_since_uncached(self, version: str) -> bool:
        if self.user.is_superuser:
            return True
        old = version.split(".")
        new = self._version.split(".")
        if len(old) != len(new):
            return True  # the logs themselves changed (a new release)
        conditions = None
        for model, before, now in zip(_VERSION_LOGS, old, new, strict=True):
            if before == now:
                continue
            conditions = conditions or _scope_conditions(self.user)
            condition = conditions.get(model)
            if condition is None:
                return True
            since = {f"{model._meta.pk.name}__gt": int(before)}
            if model._default_manager.filter(condition, **since).exists():
                return True
        return False

    def figures(self, filters: PortfolioFilters, render, today: date | None = None):
        """``(board, html)``: ``portfolio_dashboard`` and its rendering by ``render(board)``,
        both cached, so that an unchanged portfolio costs two small queries and no template
        work for the figures."""
        today = today or timezone.localdate()
        key = self._key(
            "figures",
            filters.as_query(),
            today.isoformat(),  # overdue and due-soon move with the date
        )

        def compute():
            board = _labels_as_text(
                portfolio_dashboard(user=self.user, filters=filters, today=today)
            )
            return board, render(board)

        return self._get_or_compute(key, compute)

    def page(self, query: QueryDict, render, today: date | None = None):
        """``(status, html)`` of the dashboard's content for this query (filters and page),
        from ``render()``: with an unchanged portfolio, a request costs the two queries of the
        stamp and the page's header."""
        today = today or timezone.localdate()
        canonical = urlencode(sorted(query.lists()), doseq=True)
        return self._get_or_compute(self._key("page", canonical, today.isoformat()), render)

    def partner_ids(self) -> list[int]:
        """The partner organisations party to the current version of an agreement the leader
        can see (the dashboard's partner filter, which counts the same versions): a scan of
        every visible agreement, so cached too."""
        return self._get_or_compute(
            self._key("partners"),
            lambda: list(
                Agreement.objects.visible_to(self.user)
                .current()
                .filter(parties__organisation__isnull=False)
                .values_list("parties__organisation", flat=True)
                .order_by()
                .distinct()
            ),
        )


def _labels_as_text(board: Dashboard) -> Dashboard:
    # Lazy translations unpickle slowly (a new proxy class each): cache the labels as text,
    # which is why the language is part of the key.
    for rows in (board.funnel, board.health, board.agreements_by_status, board.value_by_dimension):
        for row in rows:
            row["label"] = str(row["label"])
    return board
