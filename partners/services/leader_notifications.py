"""What partners do, told to the leaders who steer the project, in the app (and by e-mail for
those who want it), in the transaction of the change itself. Before this, leaders heard of a
partner's milestone update or confirmation only in their weekly digest.

Each kind can be switched off by each leader (``core.notifications.notification_kinds_update``,
on the notification settings page); every kind is on unless switched off.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.models import User
from clinics.selectors import leaders_of_clinic
from core.models import Notification
from core.notifications import notify
from portfolio.models import Project

from ..models import Agreement, Milestone

K = Notification.Kind


def leaders_steering(project: Project) -> list[User]:
    """The leaders who steer ``project``: those of its lead clinic, directly or through their
    whole region (``project_can_steer``). Superusers steer everything but follow nothing, so
    they are not told."""
    return list(leaders_of_clinic(project.lead_clinic))


def _tell_leaders(
    *, project: Project, kind: str, message, url: str, skip: Iterable[int] = ()
) -> None:
    skipped = set(skip)
    for leader in leaders_steering(project):
        if leader.pk not in skipped:
            notify(recipient=leader, message=message, url=url, kind=kind)


def leaders_tell_milestone_update(
    *, milestone: Milestone, actor: User, changes: dict, skip: Iterable[int] = ()
) -> None:
    """A partner reported on a milestone: done, blocked, or any other update (progress, a
    comment, a file). ``skip``: leaders already told of it in another way (the confirming
    leader's "please confirm")."""
    status = changes.get("status", [None, None])[1]
    who = str(actor)
    if status == Milestone.Status.DONE:
        kind = K.MILESTONE_DONE
        message = format_lazy(
            _("{who} marked the milestone “{title}” of {project} done."),
            who=who,
            title=milestone.title,
            project=milestone.project.title,
        )
    elif status == Milestone.Status.BLOCKED:
        kind = K.MILESTONE_BLOCKED
        message = format_lazy(
            _("{who} marked the milestone “{title}” of {project} blocked."),
            who=who,
            title=milestone.title,
            project=milestone.project.title,
        )
    else:
        kind = K.MILESTONE_UPDATED
        message = format_lazy(
            _("{who} updated the milestone “{title}” of {project} ({progress} %)."),
            who=who,
            title=milestone.title,
            project=milestone.project.title,
            progress=milestone.progress,
        )
    _tell_leaders(
        project=milestone.project,
        kind=kind,
        message=message,
        url=reverse("partners:milestone_detail", args=[milestone.pk]),
        skip=skip,
    )


def leaders_tell_agreement_confirmed(
    *, agreement: Agreement, actor: User, organisation, skip: Iterable[int] = ()
) -> None:
    """A partner confirmed (signed) a proposed agreement for their organisation."""
    _tell_leaders(
        project=agreement.project,
        kind=K.AGREEMENT_CONFIRMED,
        message=format_lazy(
            _("{who} confirmed the agreement “{title}” for {organisation}."),
            who=str(actor),
            title=agreement.title,
            organisation=str(organisation),
        ),
        url=reverse("partners:agreement_detail", args=[agreement.pk]),
        skip=skip,
    )
