"""Status digests: when each leader's digest is due, what it says, and sending it exactly once.

The flow (see README, "Status digests"):

1. ``digests_dispatch`` (the beat job) finds the leaders whose digest is due at ``now`` and
   queues one ``digest_prepare_task`` per leader, after the transaction commits.
2. ``digest_prepare`` claims the period by inserting a ``DigestDelivery`` under the unique
   constraint (leader, period end) *in the same transaction* that decides to send, renders the
   message into the record (an outbox) and, on commit, queues the sender.
3. ``digests_send_ready`` sends ready records in batches, one SMTP connection per batch. Each
   record is sent inside a transaction that holds its row, and marked sent in that same
   transaction: a second sender skips it, a killed worker leaves it ready for the next one.
   A failed send is recorded (attempts, last error) and retried later with backoff and jitter.

All time arithmetic takes ``now`` as an argument, so tests (and ``send_digests --now``) can
run the schedule on a controllable clock.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinics.models import User
from core.formatting import format_money, format_number, format_percent
from core.outbox import task_queue_on_commit
from core.smtp_batches import SEND_ERRORS, send_in_batches
from insights.selectors.digests import (
    PortfolioChanges,
    portfolio_changes_for_leader,
    shared_digest_reads,
)
from partners.models import Milestone
from partnership.models import GateDecision, Instalment, InterimTarget
from portfolio.models import DigestDelivery, DigestPreference, Idea, Project
from portfolio.services.digest_preferences import (
    digest_language,
    digest_leader_from_token,
    digest_preference_of,
    digest_preference_update,
    digest_unsubscribe,
    digest_unsubscribe_token,
    digest_unsubscribe_url,
)

logger = logging.getLogger(__name__)

Frequency = DigestPreference.Frequency

# Biweekly digests go out on every second Monday counted from this one (a Monday).
BIWEEKLY_EPOCH = datetime(2024, 1, 1).date()

# Where each kind of item links to. Pages built by other issues may not exist yet on every
# branch: ``_absolute_url`` falls back to the dashboard (and then the start page).
LINKS = {
    # A leader reads the digest: an idea opens on its review page.
    "idea": "portfolio:review_idea",
    "project": "portfolio:project_detail",
    "milestone": "partners:milestone_detail",
    "agreement": "partners:agreement_detail",
    "phase": "partnership:phase_detail",
    "contributions": "partnership:agreement_contributions",
    "dashboard": "portfolio:dashboard",
    "preferences": "portfolio:digest_preferences",
}


# --- Schedule -----------------------------------------------------------------------------------


def digest_time_zone(leader: User) -> ZoneInfo:
    """The leader's region's time zone (Monday morning there), else the site's."""
    name = leader.region.time_zone if leader.region_id else settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _at_send_hour(day, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(settings.DIGEST_SEND_HOUR), tzinfo=tz)


def _first_monday(year: int, month: int):
    first = datetime(year, month, 1).date()
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def digest_slot(*, frequency: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The latest scheduled send time at or before ``now``: a Monday at the send hour, local.

    Weekly: every Monday; biweekly: every second Monday; monthly: the first Monday of the
    month. The slot identifies the period (it is the period's end). None: no digests.
    """
    local_today = now.astimezone(tz).date()
    if frequency == Frequency.NONE:
        return None
    if frequency == Frequency.MONTHLY:
        year, month = local_today.year, local_today.month
        slot = _at_send_hour(_first_monday(year, month), tz)
        if slot > now:
            slot = _at_send_hour(_first_monday(*_month_before(year, month)), tz)
        return slot
    step = 14 if frequency == Frequency.BIWEEKLY else 7
    monday = local_today - timedelta(days=local_today.weekday())
    if step == 14 and ((monday - BIWEEKLY_EPOCH).days // 7) % 2:
        monday -= timedelta(days=7)
    slot = _at_send_hour(monday, tz)
    if slot > now:
        slot = _at_send_hour(monday - timedelta(days=step), tz)
    return slot


def digest_slot_step(*, frequency: str, slot: datetime, tz: ZoneInfo, steps: int) -> datetime:
    """The slot ``steps`` periods after (or before, if negative) ``slot``, DST-safe."""
    local = slot.astimezone(tz).date()
    if frequency == Frequency.MONTHLY:
        year, month = local.year, local.month
        move = _month_after if steps > 0 else _month_before
        for _step in range(abs(steps)):
            year, month = move(year, month)
        return _at_send_hour(_first_monday(year, month), tz)
    days = 14 if frequency == Frequency.BIWEEKLY else 7
    return _at_send_hour(local + timedelta(days=days * steps), tz)


@dataclass(frozen=True)
class DueDigest:
    leader: User
    period_start: datetime
    period_end: datetime
    language: str


def _leaders_with_last_period():
    """Active leaders with an address, their preference and the end of their last period:
    one query for all of them."""
    return (
        User.objects.filter(role=User.Role.LEADER, is_active=True)
        .exclude(email="")
        .select_related("region", "digest_preference")
        .annotate(last_period_end=Max("digest_deliveries__period_end"))
        .order_by("pk")
    )


def _period_for(leader: User, preference, now: datetime, last_period_end) -> DueDigest | None:
    tz = digest_time_zone(leader)
    slot = digest_slot(frequency=preference.frequency, now=now, tz=tz)
    if slot is None or (last_period_end is not None and last_period_end >= slot):
        return None
    start = last_period_end or digest_slot_step(
        frequency=preference.frequency, slot=slot, tz=tz, steps=-1
    )
    return DueDigest(
        leader=leader,
        period_start=start,
        period_end=slot,
        language=digest_language(leader, preference),
    )


def digests_due(*, now: datetime) -> list[DueDigest]:
    """Every leader whose digest for the current slot has not been claimed yet.

    The period runs from the end of the leader's last digest (or one period back, for a first
    digest) to the latest slot, so a missed week is covered by the next digest, not lost.
    """
    due = []
    for leader in _leaders_with_last_period():
        period = _period_for(leader, digest_preference_of(leader), now, leader.last_period_end)
        if period is not None:
            due.append(period)
    return due


# Leaders per prepare task: in one task, leaders of the same clinics and period share the
# reads of their digest (``shared_digest_reads``).
DIGEST_PREPARE_BATCH = 50


def digest_batches(due: list[DueDigest]) -> list[tuple[datetime, list[int]]]:
    """The due leaders in batches of DIGEST_PREPARE_BATCH with the same period end, leaders
    of a region together (those most likely to share clinics)."""
    ordered = sorted(due, key=lambda p: (p.period_end, p.leader.region_id or 0, p.leader.pk))
    batches: list[tuple[datetime, list[int]]] = []
    for period in ordered:
        if (
            not batches
            or batches[-1][0] != period.period_end
            or len(batches[-1][1]) >= DIGEST_PREPARE_BATCH
        ):
            batches.append((period.period_end, []))
        batches[-1][1].append(period.leader.pk)
    return batches


def digests_dispatch(*, now: datetime | None = None) -> list[DueDigest]:
    """The beat job: queue one prepare task per batch of due leaders once this transaction
    commits.

    Nothing is claimed here: the claim happens in the prepare task's transaction, so two beat
    processes queueing the same leader still produce one digest. A sender is queued too, to
    pick up ready digests that a crashed worker left behind.
    """
    from insights.tasks import digest_prepare_batch_task, digests_send_task

    now = now or timezone.now()
    due = digests_due(now=now)
    # A broker failure while queueing is logged, never raised: the next hourly run finds the
    # same leaders due (their period is not claimed yet) and sends what is ready.
    for period_end, leader_ids in digest_batches(due):
        task_queue_on_commit(
            digest_prepare_batch_task, leader_ids, period_end.isoformat(), now.isoformat()
        )
    task_queue_on_commit(digests_send_task)
    return due


# --- Content ------------------------------------------------------------------------------------


@dataclass
class DigestItem:
    title: str
    url: str
    meta: str = ""
    text: str = ""
    flag: str = ""  # "danger" / "warning": shown first and marked
    notes: list[str] = field(default_factory=list)


@dataclass
class DigestSection:
    key: str
    heading: str
    items: list[DigestItem]
    more: bool = False


@dataclass
class RenderedDigest:
    subject: str
    text: str
    html: str
    item_count: int
    has_changes: bool
    language: str


def _absolute_url(kind: str, *args) -> str:
    path = reverse(LINKS[kind], args=args)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "–"


def _days(value) -> str:
    return ngettext("%(n)d day", "%(n)d days", value) % {"n": value}


def _change_in_words(name: str, old, new) -> str:
    """One field of a partner's milestone update, in the reader's words: "status: blocked →
    in progress", "progress 30 % → 55 %"."""
    if name == "status":
        return _("status: %(old)s → %(new)s") % {
            "old": _choice_label(Milestone.Status, old),
            "new": _choice_label(Milestone.Status, new),
        }
    if name == "progress":
        return _("progress %(old)s → %(new)s") % {
            "old": format_percent(old),
            "new": format_percent(new),
        }
    try:
        label = Milestone._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        label = name
    return _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label).lower()  # mid-sentence
    except ValueError:
        return str(value)


def _milestone_notes(milestone: Milestone) -> list[str]:
    notes = []
    for update in milestone.period_updates:
        membership = getattr(update.author, "partner_membership", None) if update.author else None
        who = str(update.author) if update.author else _("Someone")
        if membership is not None:
            who = _("%(person)s (%(organisation)s)") % {
                "person": who,
                "organisation": membership.organisation,
            }
        changed = ", ".join(
            _change_in_words(name, *values)
            for name, values in (update.changes or {}).items()
            if isinstance(values, list | tuple) and len(values) == 2
        )
        parts = [p for p in (capfirst(changed), update.comment.strip()) if p]
        notes.append(
            _("%(date)s %(person)s: %(what)s")
            % {
                "date": _date(timezone.localdate(update.created_at)),
                "person": who,
                "what": " – ".join(parts) or _("updated"),
            }
        )
    return notes


def _milestone_item(milestone: Milestone, meta: str) -> DigestItem:
    party = milestone.responsible_party or _("the region")
    return DigestItem(
        title=f"{milestone.title} ({milestone.project.title})",
        url=_absolute_url("milestone", milestone.pk),
        meta=_("%(when)s · responsible: %(party)s") % {"when": meta, "party": party},
        notes=_milestone_notes(milestone),
    )


def _sections(changes: PortfolioChanges) -> list[DigestSection]:
    today = changes.today
    new_ideas = {idea.pk for idea in changes.ideas_submitted}
    sections = []

    def add(key, heading, items, more=False):
        if items:
            sections.append(DigestSection(key=key, heading=heading, items=items, more=more))

    add(
        "status_updates",
        _("Status updates"),
        [
            DigestItem(
                title=update.project.title,
                url=_absolute_url("project", update.project_id),
                meta=f"{Project.Health(update.health).label} · {update.author}",
                text=update.text[:300],
                flag={"off_track": "danger", "at_risk": "warning"}.get(update.health, ""),
            )
            for update in changes.status_updates.items
        ],
        changes.status_updates.more,
    )
    add(
        "ideas_waiting",
        _("Ideas waiting for review"),
        [
            DigestItem(
                title=idea.title,
                url=_absolute_url("idea", idea.pk),
                meta=" · ".join(
                    filter(
                        None,
                        [
                            _("new") if idea.pk in new_ideas else "",
                            str(idea.clinic),
                            _("waiting %(age)s")
                            % {"age": _days((today - timezone.localdate(idea.submitted_at)).days)},
                        ],
                    )
                ),
            )
            for idea in changes.ideas_waiting.items
        ],
        changes.ideas_waiting.more,
    )
    add(
        "ideas_decided",
        _("Ideas decided"),
        [
            DigestItem(
                title=idea.title,
                url=_absolute_url("idea", idea.pk),
                meta=f"{Idea.Status(idea.status).label} · {idea.clinic}",
            )
            for idea in changes.ideas_decided.items
        ],
        changes.ideas_decided.more,
    )
    add(
        "stage_changes",
        _("Projects that changed stage"),
        [
            DigestItem(
                title=change.project.title,
                url=_absolute_url("project", change.project_id),
                meta=" → ".join(
                    str(Project.Stage(stage).label)
                    for stage in (change.from_stage, change.to_stage)
                    if stage
                ),
                text=change.note[:300],
            )
            for change in changes.stage_changes.items
        ],
        changes.stage_changes.more,
    )
    add(
        "milestones_completed",
        _("Milestones completed"),
        [
            _milestone_item(m, _("completed %(date)s") % {"date": _date(m.completed_on)})
            for m in changes.milestones_completed
        ],
    )
    overdue = []
    for m in changes.milestones_overdue:
        item = _milestone_item(
            m,
            _("due %(date)s, %(late)s overdue")
            % {"date": _date(m.due_on), "late": _days((today - m.due_on).days)},
        )
        item.flag = "danger"
        overdue.append(item)
    add("milestones_overdue", _("Milestones overdue"), overdue)
    add(
        "milestones_due",
        _("Milestones due in the next period"),
        [
            _milestone_item(m, _("due %(date)s") % {"date": _date(m.due_on)})
            for m in changes.milestones_due
        ],
    )
    add(
        "milestones_updated",
        _("Other milestones that partners updated"),
        [
            _milestone_item(m, _("due %(date)s") % {"date": _date(m.due_on)})
            for m in changes.milestones_updated
        ],
        changes.milestones_more,
    )
    for key, heading, agreements, meta in (
        ("agreements_proposed", _("Agreements proposed"), changes.agreements_proposed, None),
        ("agreements_signed", _("Agreements signed"), changes.agreements_signed, None),
        ("agreements_ending", _("Agreements ending soon"), changes.agreements_ending, "ends"),
    ):
        add(
            key,
            heading,
            [
                DigestItem(
                    title=f"{agreement} ({agreement.project.title})",
                    url=_absolute_url("agreement", agreement.pk),
                    meta=_("ends %(date)s") % {"date": _date(agreement.ends_on)} if meta else "",
                )
                for agreement in agreements
            ],
            changes.agreements_more and key == "agreements_ending",
        )
    _add_partnership_sections(add, changes)
    add(
        "measurements",
        _("Value indicators with a new measurement"),
        [
            DigestItem(
                title=f"{m.indicator.name} ({m.indicator.project.title})",
                url=_absolute_url("project", m.indicator.project_id),
                meta=_("%(value)s %(unit)s on %(date)s · baseline %(baseline)s, target %(target)s")
                % {
                    "value": format_number(m.value),
                    "unit": m.indicator.unit,
                    "date": _date(m.measured_on),
                    "baseline": format_number(m.indicator.baseline),
                    "target": format_number(m.indicator.target),
                },
            )
            for m in changes.measurements.items
        ],
        changes.measurements.more,
    )
    add(
        "innovation_time",
        _("Innovation time of the weeks in this period"),
        [
            DigestItem(
                title=time.clinic_name,
                url=_absolute_url("dashboard"),
                meta=_("%(hours)s of %(allotted)s allotted hours")
                % {"hours": format_number(time.hours), "allotted": format_number(time.allotted)}
                if time.allotted is not None
                else _("%(hours)s hours") % {"hours": format_number(time.hours)},
            )
            for time in changes.innovation_time
        ],
    )
    _add_benefit_and_engagement_sections(add, changes)
    return sections


def _target_item(target: InterimTarget, today) -> DigestItem:
    if target.due_on < today:
        when = _("due %(date)s, %(late)s overdue") % {
            "date": _date(target.due_on),
            "late": _days((today - target.due_on).days),
        }
    else:
        when = _("due %(date)s") % {"date": _date(target.due_on)}
    if target.status == InterimTarget.Status.NOT_MET:
        when = _("%(when)s, assessed as not met") % {"when": when}
    return DigestItem(
        title=f"{target} ({target.phase.project.title})",
        url=_absolute_url("phase", target.phase_id),
        meta=_("%(when)s · phase %(phase)s · %(partner)s")
        % {
            "when": when,
            "phase": target.phase,
            "partner": target.organisation or _("all partners"),
        },
        flag="danger" if target.due_on < today else "",
    )


def _gate_item(decision: GateDecision) -> DigestItem:
    outcomes = ", ".join(
        _("%(partner)s: %(outcome)s")
        % {"partner": outcome.organisation, "outcome": outcome.get_outcome_display()}
        for outcome in decision.outcomes.all()
    )
    meta = _("decided %(date)s by %(person)s") % {
        "date": _date(timezone.localdate(decision.decided_at)),
        "person": decision.decided_by,
    }
    if decision.corrects_id:
        meta = _("%(decided)s, correcting an earlier decision") % {"decided": meta}
    return DigestItem(
        title=_("Phase %(phase)s (%(project)s)")
        % {"phase": decision.phase, "project": decision.phase.project.title},
        url=_absolute_url("phase", decision.phase_id),
        meta=meta,
        text=outcomes,
    )


def _instalment_item(instalment: Instalment, today) -> DigestItem:
    if instalment.status == Instalment.Status.DUE:
        when = _("due for payment, planned %(date)s") % {"date": _date(instalment.planned_on)}
    else:
        when = _("planned %(date)s, %(late)s ago, not yet marked due") % {
            "date": _date(instalment.planned_on),
            "late": _days((today - instalment.planned_on).days),
        }
    return DigestItem(
        title=_("%(amount)s to %(partner)s (%(project)s)")
        % {
            "amount": format_money(instalment.amount, instalment.phase.currency),
            "partner": instalment.organisation,
            "project": instalment.phase.project.title,
        },
        url=_absolute_url("phase", instalment.phase_id),
        meta=_("%(when)s · phase %(phase)s") % {"when": when, "phase": instalment.phase},
    )


def _add_partnership_sections(add, changes: PortfolioChanges) -> None:
    """Innovation partnerships: each line links to its phase page."""
    today = changes.today
    add(
        "targets_due",
        _("Interim targets due or overdue"),
        [_target_item(target, today) for target in changes.targets_due.items],
        changes.targets_due.more,
    )
    add(
        "gate_decisions",
        _("Gate decisions taken"),
        [_gate_item(decision) for decision in changes.gate_decisions.items],
        changes.gate_decisions.more,
    )
    add(
        "instalments_due",
        _("Instalments awaiting payment"),
        [_instalment_item(instalment, today) for instalment in changes.instalments_due.items],
        changes.instalments_due.more,
    )
    _add_contributions_behind(add, changes)


def _add_contributions_behind(add, changes: PortfolioChanges) -> None:
    """Contributions behind plan by more than 20 %: each line links to the contributions page."""
    add(
        "contributions_behind",
        _("Contributions behind plan by more than 20 %"),
        [
            DigestItem(
                title=_("%(party)s (%(project)s)")
                % {"party": row.party_name, "project": row.project_title},
                url=_absolute_url("contributions", row.agreement_id),
                meta=_("%(actual)s of %(planned)s planned to date (%(percent)s %%)")
                % {
                    "actual": format_money(row.actual, row.currency),
                    "planned": format_money(row.planned_to_date, row.currency),
                    "percent": format_number(row.percent),
                },
            )
            for row in changes.contributions_behind.items
        ],
        changes.contributions_behind.more,
    )


def _count_phrase(key: str, count: int) -> str:
    """One section of the summary line; each in its own ngettext so the catalogue tools see it
    and every language gets its plural forms."""
    phrases = {
        "status_updates": lambda n: ngettext(
            "%(count)s status update", "%(count)s status updates", n
        ),
        "ideas_waiting": lambda n: ngettext(
            "%(count)s idea waiting for review", "%(count)s ideas waiting for review", n
        ),
        "ideas_decided": lambda n: ngettext("%(count)s idea decided", "%(count)s ideas decided", n),
        "stage_changes": lambda n: ngettext(
            "%(count)s project changed stage", "%(count)s projects changed stage", n
        ),
        "milestones_completed": lambda n: ngettext(
            "%(count)s milestone completed", "%(count)s milestones completed", n
        ),
        "milestones_overdue": lambda n: ngettext(
            "%(count)s milestone overdue", "%(count)s milestones overdue", n
        ),
        "milestones_due": lambda n: ngettext(
            "%(count)s milestone due soon", "%(count)s milestones due soon", n
        ),
        "milestones_updated": lambda n: ngettext(
            "%(count)s milestone updated by partners", "%(count)s milestones updated by partners", n
        ),
        "agreements_proposed": lambda n: ngettext(
            "%(count)s agreement proposed", "%(count)s agreements proposed", n
        ),
        "agreements_signed": lambda n: ngettext(
            "%(count)s agreement signed", "%(count)s agreements signed", n
        ),
        "agreements_ending": lambda n: ngettext(
            "%(count)s agreement ending soon", "%(count)s agreements ending soon", n
        ),
        "targets_due": lambda n: ngettext(
            "%(count)s interim target due or overdue", "%(count)s interim targets due or overdue", n
        ),
        "gate_decisions": lambda n: ngettext(
            "%(count)s gate decision taken", "%(count)s gate decisions taken", n
        ),
        "instalments_due": lambda n: ngettext(
            "%(count)s instalment awaiting payment", "%(count)s instalments awaiting payment", n
        ),
        "contributions_behind": lambda n: ngettext(
            "%(count)s party behind its planned contributions",
            "%(count)s parties behind their planned contributions",
            n,
        ),
        "measurements": lambda n: ngettext(
            "%(count)s new measurement", "%(count)s new measurements", n
        ),
        "innovation_time": lambda n: ngettext(
            "innovation time of %(count)s clinic", "innovation time of %(count)s clinics", n
        ),
        "benefit_reviews_due": lambda n: ngettext(
            "%(count)s benefit review due", "%(count)s benefit reviews due", n
        ),
        "partners_needing_action": lambda n: ngettext(
            "%(count)s partner matter needing action", "%(count)s partner matters needing action", n
        ),
    }
    return phrases[key](count) % {"count": format_number(count)}


def digest_summary(sections: list[DigestSection]) -> str:
    """The line at the top: how much of each kind, problems first (the sections' order)."""
    if not sections:
        return _("No changes in your portfolio in this period.")
    counts = [_count_phrase(section.key, len(section.items)) for section in sections]
    return capfirst(_("In short: %(counts)s.") % {"counts": ", ".join(counts)})


def digest_build(
    *,
    leader: User,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    language: str | None = None,
    frequency: str | None = None,
) -> RenderedDigest:
    """Render the leader's digest for a period: subject, plain text and HTML, in their language
    and time zone. Reads only; a fixed number of queries."""
    preference = digest_preference_of(leader)
    language = language or digest_language(leader, preference)
    frequency = frequency or preference.frequency
    if frequency == Frequency.NONE:
        frequency = Frequency.WEEKLY
    tz = digest_time_zone(leader)
    next_slot = digest_slot_step(frequency=frequency, slot=period_end, tz=tz, steps=1)
    with translation.override(language), timezone.override(tz):
        today = timezone.localdate(now)
        changes = portfolio_changes_for_leader(
            leader=leader,
            period_start=period_start,
            period_end=period_end,
            start_date=timezone.localdate(period_start),
            end_date=timezone.localdate(period_end),
            today=today,
            horizon=today + (next_slot - period_end),
        )
        # Built per leader even when the changes were read once for several
        # (``shared_digest_reads``): the benefits a leader owns and the partners needing action
        # in the projects they see are their own lines.
        sections = _sections(changes)
        context = {
            "leader": leader,
            "sections": sections,
            "summary": digest_summary(sections),
            "has_changes": changes.has_changes,
            "period_start": timezone.localtime(period_start),
            "period_end": timezone.localtime(period_end),
            "dashboard_url": _absolute_url("dashboard"),
            "preferences_url": _absolute_url("preferences"),
            "unsubscribe_url": digest_unsubscribe_url(leader),
            "site_url": settings.SITE_URL,
            "LANGUAGE_CODE": language,
        }
        subject = " ".join(render_to_string("portfolio/email/digest_subject.txt", context).split())
        text = render_to_string("portfolio/email/digest.txt", context)
        html = render_to_string("portfolio/email/digest.html", context)
    return RenderedDigest(
        subject=subject,
        text=text,
        html=html,
        item_count=sum(len(section.items) for section in sections),
        has_changes=changes.has_changes,
        language=language,
    )


# --- Claim and send ----------------------------------------------------------------------------


@transaction.atomic
def digest_prepare(
    *, leader_id: int, period_end: datetime, now: datetime, queue_sender: bool = True
) -> DigestDelivery | None:
    """Claim ``leader_id``'s digest for the period ending at ``period_end`` and render it.

    Returns None when someone else already claimed this period (a retried task, a second beat
    process), or the leader no longer wants digests. The claim is the INSERT under the unique
    constraint, in the same transaction as the decision: of two racing callers one commits,
    the other gets an IntegrityError and sends nothing. ``queue_sender=False`` leaves sending
    to the caller (the ``send_digests`` command sends in-process).
    """
    leader = (
        User.objects.filter(pk=leader_id, role=User.Role.LEADER, is_active=True)
        .exclude(email="")
        .select_related("region", "digest_preference")
        .annotate(last_period_end=Max("digest_deliveries__period_end"))
        .first()
    )
    if leader is None:
        return None
    preference = digest_preference_of(leader)
    if preference.frequency == Frequency.NONE:
        return None
    if leader.last_period_end is not None and leader.last_period_end >= period_end:
        return None
    tz = digest_time_zone(leader)
    period_start = leader.last_period_end or digest_slot_step(
        frequency=preference.frequency, slot=period_end, tz=tz, steps=-1
    )
    delivery = DigestDelivery(
        leader=leader,
        period_start=period_start,
        period_end=period_end,
        recipient=leader.email,
        language=digest_language(leader, preference),
        status=DigestDelivery.Status.READY,
    )
    # Constraints are left to the INSERT: a check before it could pass for both racers. The
    # leader was just read: no second look that the row exists.
    delivery.full_clean(exclude=["leader"], validate_constraints=False)
    try:
        with transaction.atomic():
            delivery.save(force_insert=True)
    except IntegrityError:
        logger.info("Digest of leader %s for %s already claimed", leader_id, period_end)
        return None

    rendered = digest_build(
        leader=leader, period_start=period_start, period_end=period_end, now=now
    )
    delivery.item_count = rendered.item_count
    if not rendered.has_changes and not preference.send_when_empty:
        delivery.status = DigestDelivery.Status.SKIPPED
    else:
        delivery.subject = rendered.subject[:300]
        delivery.body_text = rendered.text
        delivery.body_html = rendered.html
        if queue_sender:
            from insights.tasks import digests_send_task

            task_queue_on_commit(digests_send_task)
    delivery.save()
    return delivery


def digests_prepare_batch(
    *, leader_ids: list[int], period_end: datetime, now: datetime, queue_sender: bool = True
) -> list[DigestDelivery]:
    """``digest_prepare`` for each of ``leader_ids``, reading once what changed for leaders
    of the same clinics and period. Each claim is still its own transaction (exactly once);
    one sender is queued for the batch."""
    deliveries = []
    with shared_digest_reads():
        for leader_id in leader_ids:
            delivery = digest_prepare(
                leader_id=leader_id, period_end=period_end, now=now, queue_sender=False
            )
            if delivery is not None:
                deliveries.append(delivery)
    if queue_sender and any(d.status == DigestDelivery.Status.READY for d in deliveries):
        from insights.tasks import digests_send_task

        task_queue_on_commit(digests_send_task)
    return deliveries


def digest_message(delivery: DigestDelivery, connection=None) -> EmailMultiAlternatives:
    unsubscribe = digest_unsubscribe_url(delivery.leader)
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body_text,
        to=[delivery.recipient],
        connection=connection,
        headers={
            # RFC 8058 one-click unsubscribe: mail clients POST to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(delivery.body_html, "text/html")
    return message


def digest_retry_countdown(*, attempt: int) -> float:
    """Seconds before attempt ``attempt + 1``: exponential backoff with jitter, always well
    below the broker's visibility timeout (a longer countdown would let Redis hand the task
    to a second worker while the first still holds it)."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    ceiling = 0.8 * visibility
    backoff = min(settings.DIGEST_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), ceiling)
    return random.uniform(backoff / 2, backoff)


@dataclass
class SendResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_in: float | None = None  # seconds until the earliest failed digest may be retried


def _record_failure(delivery: DigestDelivery, exc: Exception, now: datetime, result: SendResult):
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if delivery.attempts >= settings.DIGEST_MAX_ATTEMPTS:
        delivery.status = DigestDelivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.error("Digest %s failed for good: %s", delivery.pk, delivery.last_error)
    else:
        countdown = digest_retry_countdown(attempt=delivery.attempts)
        delivery.next_attempt_at = now + timedelta(seconds=countdown)
        result.retry_in = min(result.retry_in or countdown, countdown)
        logger.warning("Digest %s failed, retry in %.0f s: %s", delivery.pk, countdown, exc)
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    result.failed.append(delivery.pk)


def _send_one(pk: int, connection, open_error, now: datetime, result: SendResult) -> bool:
    """Send one ready digest while holding its row; True if the connection is still usable."""
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .select_related("leader")
            .filter(pk=pk, status=DigestDelivery.Status.READY)
            .first()
        )
        if delivery is None:  # sent by another sender meanwhile, or being sent right now
            return True
        delivery.attempts += 1
        if open_error is not None:
            _record_failure(delivery, open_error, now, result)
            return False
        try:
            connection.send_messages([digest_message(delivery, connection)])
        except SEND_ERRORS as exc:
            _record_failure(delivery, exc, now, result)
            return False
        delivery.status = DigestDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        result.sent.append(pk)
        return True


def digests_send_ready(*, now: datetime | None = None, batch_size: int | None = None) -> SendResult:
    """Send every ready digest whose next attempt is due, ``batch_size`` per SMTP connection."""
    now = now or timezone.now()
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    result = SendResult()

    def next_batch(tried: set[int]) -> list[int]:
        return list(
            DigestDelivery.objects.filter(status=DigestDelivery.Status.READY)
            .exclude(next_attempt_at__gt=now)
            .order_by("pk")
            .exclude(pk__in=tried)
            .values_list("pk", flat=True)[:batch_size]
        )

    send_in_batches(
        next_batch=next_batch,
        send_one=lambda pk, connection, open_error: _send_one(
            pk, connection, open_error, now, result
        ),
    )
    return result


__all__ = [
    # Re-exported: the digest code and its tests read them from here too.
    "digest_leader_from_token",
    "digest_preference_update",
    "digest_unsubscribe",
    "digest_unsubscribe_token",
]


def _add_benefit_and_engagement_sections(add, changes: PortfolioChanges) -> None:
    """Benefit reviews the leader owns that are due (each links to its project's register), and
    partners needing action (silent partners, unused invitations, long-blocked milestones)."""
    today = changes.today
    due = getattr(changes, "benefit_reviews_due", None)
    if due is not None:
        base = settings.SITE_URL.rstrip("/")
        add(
            "benefit_reviews_due",
            _("Benefit reviews due"),
            [
                DigestItem(
                    title=f"{benefit.title} ({benefit.project.title})",
                    url=base
                    + reverse("portfolio:benefit_review", args=[benefit.project_id, benefit.pk]),
                    meta=_("review due %(date)s") % {"date": _date(benefit.next_review_on)},
                    flag="danger" if benefit.next_review_on < today else "",
                )
                for benefit in due.items
            ],
            due.more,
        )
    needing = getattr(changes, "partners_needing_action", None)
    if needing:
        items = [
            DigestItem(
                title=f"{row.organisation_name} ({row.project_title})",
                url=_absolute_url("dashboard") + "#needing-action",
                meta=_("no activity for %(days)s") % {"days": _days(row.days_since_last_activity)}
                if row.days_since_last_activity is not None
                else _("no activity yet"),
            )
            for row in needing.inactive
        ]
        items += [
            DigestItem(
                title=f"{item['membership'].user.email} ({item['membership'].organisation.name})",
                url=_absolute_url("dashboard") + "#needing-action",
                meta=_("invitation unused for %(days)s") % {"days": _days(item["days"])},
            )
            for item in needing.invitations
        ]
        items += [
            DigestItem(
                title=f"{item['milestone'].title} ({item['milestone'].project.title})",
                url=_absolute_url("milestone", item["milestone"].pk),
                meta=_("blocked for %(days)s") % {"days": _days(item["days"])},
                flag="danger",
            )
            for item in needing.blocked
        ]
        add(
            "partners_needing_action",
            _("Partners needing action"),
            items,
            needing.count > len(items),
        )
