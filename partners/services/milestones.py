"""Milestones change only here: every change bumps the version and leaves one history entry.

Optimistic concurrency (``core.concurrency.check_version``): a form carries the version it was
loaded with; a save is a conditional UPDATE ... WHERE version = <loaded>. If someone else saved
in between, or the form carries no valid version, nothing is written and ``MilestoneConflict``
tells the caller what the other person changed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version, parse_version
from core.notifications import notify
from portfolio.models import Project

from ..access import (
    milestone_can_confirm,
    milestone_can_manage,
    milestone_can_update,
    milestone_confirming_leader,
)
from ..models import Milestone, MilestoneUpdate
from ..querysets import project_parties
from .leader_notifications import leaders_tell_milestone_update
from .uploads import evidence_validate

S = Milestone.Status
# Fields a leader edits in the milestone form; each change is kept in the history too.
PLAN_FIELDS = ("title", "description", "responsible_party", "responsible_leader", "due_on")


class MilestoneConflict(ValidationError):
    """Someone saved the milestone after the form was loaded (a "stale" ValidationError that
    carries the milestone as it is now and the updates the person missed)."""

    def __init__(self, milestone: Milestone, updates: list[MilestoneUpdate]):
        super().__init__(
            _("Someone else saved this milestone meanwhile. Reload the page."), code="stale"
        )
        self.milestone = milestone
        self.updates = updates


def _locked(milestone_id: int, expected_version) -> Milestone:
    current = (
        Milestone.objects.select_for_update()
        .select_related("project", "project__lead_clinic")
        .get(pk=milestone_id)
    )
    try:
        check_version(current, expected_version)
    except ValidationError:
        _raise_conflict(current, expected_version)
    return current


def _raise_conflict(current: Milestone, expected_version):
    # Every version bump leaves exactly one history entry, so the entries since the loaded
    # version are the newest (current - loaded) ones; all of them if the form had none.
    missed = max(current.version - (parse_version(expected_version) or 0), 1)
    updates = list(current.updates.select_related("author")[:missed])
    raise MilestoneConflict(current, updates)


def _write(current: Milestone, expected_version, fields: dict, actor: User) -> Milestone:
    """Conditional UPDATE: succeeds only if nobody bumped the version since it was loaded
    (``_locked`` checked it; this holds even where the row lock is weaker).

    A bulk ``.update()`` sends no signals, so the audit trail's entry (django-simple-history)
    is written explicitly from the row as it now stands.
    """
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    now = timezone.now()
    loaded = parse_version(expected_version)
    written = Milestone.objects.filter(pk=current.pk, version=loaded).update(
        **fields, version=F("version") + 1, updated_at=now
    )
    if written != 1:
        _raise_conflict(Milestone.objects.get(pk=current.pk), expected_version)
    current.version = loaded + 1
    current.updated_at = now
    Milestone.history.bulk_history_create(
        [current], update=True, default_user=actor, default_date=now
    )
    return current


def _plain(value):
    """JSON-safe old/new values for the history (ids for related objects, ISO dates)."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    actor: User,
    expected_version: int | None,
    status: str,
    progress: int,
    comment: str = "",
    evidence=None,
) -> MilestoneUpdate:
    """Record a progress report: status, progress, a comment and optional evidence."""
    if not milestone_can_update(access_for(actor), milestone):
        raise PermissionDenied
    if evidence is not None:
        try:
            evidence_validate(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
    current = _locked(milestone.pk, expected_version)
    if status == S.DONE:
        # The database requires it: a milestone that is done is complete.
        progress = 100
    fields = {"status": status, "progress": progress}
    can_confirm = milestone_can_confirm(access_for(actor), current)
    if status == S.DONE and current.status != S.DONE:
        fields["completed_on"] = timezone.localdate()
        if can_confirm:
            # The confirming leader who marks it done needs no second pair of eyes.
            fields.update(confirmed_at=timezone.now(), confirmed_by=actor)
    elif status != S.DONE and current.status == S.DONE:
        fields.update(completed_on=None, confirmed_at=None, confirmed_by=None)
    changes = {
        name: [getattr(current, name), value]
        for name, value in fields.items()
        if name in ("status", "progress") and getattr(current, name) != value
    }
    comment = comment.strip()
    if not changes and not comment and evidence is None:
        raise ValidationError(_("Nothing has changed: change a value, or add a comment or a file."))
    _write(current, expected_version, fields, actor)
    update = MilestoneUpdate(
        milestone=current,
        author=actor,
        kind=MilestoneUpdate.Kind.UPDATE,
        changes=changes,
        comment=comment,
    )
    if evidence is not None:
        update.evidence_name = evidence.name[-255:]
        update.evidence.save(evidence.name, evidence, save=False)
    update.full_clean()
    update.save()
    told = set()
    if "status" in changes and status == S.DONE and not can_confirm:
        leader = milestone_confirming_leader(current)
        if leader is not None:
            told.add(leader.pk)
            notify(
                recipient=leader,
                message=format_lazy(
                    _("“{title}” was marked done by {who}: please confirm it or reopen it."),
                    title=current.title,
                    who=str(actor),
                ),
                url=reverse("partners:milestone_detail", args=[current.pk]),
            )
    if access_for(actor).is_partner:
        # The confirming leader, asked to confirm above, is not told twice.
        leaders_tell_milestone_update(milestone=current, actor=actor, changes=changes, skip=told)
    return update


@transaction.atomic
def milestone_confirm(
    *, milestone: Milestone, actor: User, expected_version: int | None
) -> Milestone:
    """The leader's half of a two-sided milestone: the partner's "done" is accepted."""
    if not milestone_can_manage(access_for(actor), milestone.project):
        raise PermissionDenied
    current = _locked(milestone.pk, expected_version)
    if not milestone_can_confirm(access_for(actor), current):
        raise PermissionDenied
    if current.status != S.DONE or current.confirmed_at is not None:
        raise ValidationError(
            _("Only a milestone that is done and not yet confirmed can be confirmed.")
        )
    _write(
        current,
        expected_version,
        {"confirmed_at": timezone.now(), "confirmed_by": actor},
        actor,
    )
    MilestoneUpdate.objects.create(
        milestone=current, author=actor, kind=MilestoneUpdate.Kind.CONFIRM, changes={}
    )
    return current


@transaction.atomic
def milestone_reopen(
    *, milestone: Milestone, actor: User, expected_version: int | None, reason: str
) -> Milestone:
    """The leader does not accept "done": back to in progress, with the reason in the history."""
    if not milestone_can_manage(access_for(actor), milestone.project):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the milestone is reopened.")})
    current = _locked(milestone.pk, expected_version)
    if not milestone_can_confirm(access_for(actor), current):
        raise PermissionDenied
    if current.status != S.DONE:
        raise ValidationError(_("Only a milestone that is done can be reopened."))
    last_done_by = (
        current.updates.filter(changes__status__1=S.DONE).select_related("author").first()
    )
    _write(
        current,
        expected_version,
        {"status": S.IN_PROGRESS, "completed_on": None, "confirmed_at": None, "confirmed_by": None},
        actor,
    )
    MilestoneUpdate.objects.create(
        milestone=current,
        author=actor,
        kind=MilestoneUpdate.Kind.REOPEN,
        changes={"status": [S.DONE, S.IN_PROGRESS]},
        comment=reason,
    )
    if last_done_by and last_done_by.author and last_done_by.author_id != actor.pk:
        notify(
            recipient=last_done_by.author,
            message=format_lazy(
                _("“{title}” was reopened: {reason}"), title=current.title, reason=reason[:200]
            ),
            url=reverse("partners:milestone_detail", args=[current.pk]),
        )
    return current


def milestone_plan_check(*, project: Project, responsible_party, responsible_leader) -> None:
    """The responsible party is party to the project; the leader leads its lead clinic."""
    from clinics.selectors import leaders_of_clinic

    if (
        responsible_party is not None
        and not project_parties(project).filter(pk=responsible_party.pk).exists()
    ):
        raise ValidationError(
            {"responsible_party": _("The responsible party must be party to the project.")}
        )
    if (
        responsible_leader is not None
        and not leaders_of_clinic(project.lead_clinic).filter(pk=responsible_leader.pk).exists()
    ):
        raise ValidationError(
            {"responsible_leader": _("Choose a leader of the project's lead clinic.")}
        )


@transaction.atomic
def milestone_create(*, project: Project, actor: User, **fields) -> Milestone:
    if not milestone_can_manage(access_for(actor), project):
        raise PermissionDenied
    milestone_plan_check(
        project=project,
        responsible_party=fields.get("responsible_party"),
        responsible_leader=fields.get("responsible_leader"),
    )
    milestone = Milestone(project=project, **{k: fields[k] for k in PLAN_FIELDS if k in fields})
    milestone.full_clean()
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_edit(
    *, milestone: Milestone, actor: User, expected_version: int | None, **fields
) -> Milestone:
    """A leader changes the plan (title, due date, responsibility); kept in the history."""
    if not milestone_can_manage(access_for(actor), milestone.project):
        raise PermissionDenied
    current = _locked(milestone.pk, expected_version)
    milestone_plan_check(
        project=current.project,
        responsible_party=fields.get("responsible_party"),
        responsible_leader=fields.get("responsible_leader"),
    )
    new = {k: fields[k] for k in PLAN_FIELDS if k in fields}
    changes = {
        name: [_plain(getattr(current, name)), _plain(value)]
        for name, value in new.items()
        if _plain(getattr(current, name)) != _plain(value)
    }
    if not changes:
        return current
    _write(current, expected_version, new, actor)
    MilestoneUpdate.objects.create(
        milestone=current, author=actor, kind=MilestoneUpdate.Kind.UPDATE, changes=changes
    )
    return current


__all__ = ["milestone_confirming_leader"]  # re-exported for the pages and the digest
