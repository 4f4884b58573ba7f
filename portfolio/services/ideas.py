"""Staff's writes on ideas: create, edit, submit, withdraw, answer, attach files.

Status changes go through ``idea_transition`` (timeline, first response, notification); this
module adds what surrounds them: the one-time submission token that makes a double POST create
one idea, the optimistic check that stops two tabs overwriting each other, routing a submitted
idea to a leader, and the attachment checks done on the file's content.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy, get_valid_filename
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from clinics.selectors import leaders_of_clinic
from core.concurrency import check_version
from core.notifications import notify
from core.uploads import upload_content_type
from portfolio.models import Challenge, Idea, IdeaAttachment, IdeaQuestion, Project

from .idea_lifecycle import idea_transition

S = Idea.Status

# The fields a submitter writes; everything else (status, dates, leader) belongs to the flow.
IDEA_CONTENT_FIELDS = (
    "title",
    "problem",
    "proposal",
    "benefit_patients",
    "benefit_staff",
    "benefit_economy",
    "challenge",
)


STALE_IDEA_MESSAGE = _(
    "This idea was changed in another window after you opened it. "
    "Open it again to see the changes, then make yours."
)


# --- Attachments ----------------------------------------------------------------------------


def attachment_check(uploaded) -> str:
    """Check an uploaded file by its size and content; return the content type to store.

    The browser's content type is ignored and the extension is only trusted when the content
    agrees with it, so a renamed executable or an HTML page called ``x.png`` is refused.
    """
    name = uploaded.name or ""
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(max)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    content_type = upload_content_type(uploaded)
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept. Attach images (PNG, JPEG, GIF, WebP), "
                "PDF or office documents (Word, Excel, PowerPoint, OpenDocument)."
            ),
            code="wrong_type",
            params={"name": name},
        )
    return content_type


def _attachment_add(*, idea: Idea, uploaded, actor: User) -> IdeaAttachment:
    content_type = attachment_check(uploaded)
    original_name = PurePath(uploaded.name).name[:255]
    # The name on disk is made safe; the original is kept for the download's file name.
    uploaded.name = get_valid_filename(original_name)[-100:] or "attachment"
    attachment = IdeaAttachment(
        idea=idea,
        file=uploaded,
        original_name=original_name,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=actor,
    )
    attachment.full_clean()
    # Files are checked before anything is written, and added last in each service, so a
    # rolled-back transaction leaves a stray file only if the database fails at the very end.
    attachment.save()
    return attachment


# --- Create, edit, submit, withdraw ---------------------------------------------------------


def _check_submitter(*, idea: Idea, actor: User) -> None:
    if idea.submitter_id != actor.pk:
        raise PermissionDenied(_("Only the person who submitted the idea may change it."))


def _check_challenge(*, challenge: Challenge | None, actor: User) -> None:
    if challenge is None:
        return
    if not Challenge.objects.visible_to(actor).open().filter(pk=challenge.pk).exists():
        raise ValidationError({"challenge": _("Choose an open challenge of your region.")})


def _assign_leader(idea: Idea) -> User | None:
    """Route a submitted idea to the leader who supports its clinic (clinic-specific first)."""
    leaders = list(leaders_of_clinic(idea.clinic).prefetch_related("leader_scopes"))
    if not leaders:
        return None
    clinic_specific = [
        leader
        for leader in leaders
        if any(scope.clinic_id == idea.clinic_id for scope in leader.leader_scopes.all())
    ]
    return (clinic_specific or leaders)[0]


def _idea_of_token(*, submitter: User, token: uuid.UUID, submit: bool) -> Idea | None:
    """The idea an earlier post of the same form made, submitted now if this post asks to."""
    existing = (
        Idea.objects.select_for_update().filter(submitter=submitter, submission_token=token).first()
    )
    if existing is not None and submit and existing.status == S.DRAFT:
        existing = idea_submit(idea=existing, actor=submitter)
    return existing


@transaction.atomic
def idea_create(
    *,
    submitter: User,
    title: str,
    problem: str,
    proposal: str = "",
    benefit_patients: str = "",
    benefit_staff: str = "",
    benefit_economy: str = "",
    challenge: Challenge | None = None,
    attachments=(),
    submission_token: uuid.UUID | None = None,
    submit: bool = False,
) -> tuple[Idea, bool]:
    """Create a draft idea at the submitter's clinic (and submit it if ``submit``).

    Returns ``(idea, created)``: a second call with the same ``submission_token`` returns the
    idea the first call made, with ``created`` False, and changes nothing, except that when it
    asks to submit and that idea is still a draft ("Save draft", then "Submit" on the same
    form), the draft is submitted as it was saved.
    """
    if not submitter.is_clinic_staff or not submitter.clinic_id:
        raise PermissionDenied(_("Only clinic staff submit ideas."))
    if submission_token is not None:
        existing = _idea_of_token(submitter=submitter, token=submission_token, submit=submit)
        if existing is not None:
            return existing, False
    _check_challenge(challenge=challenge, actor=submitter)
    idea = Idea(
        submitter=submitter,
        clinic_id=submitter.clinic_id,
        title=title,
        problem=problem,
        proposal=proposal,
        benefit_patients=benefit_patients,
        benefit_staff=benefit_staff,
        benefit_economy=benefit_economy,
        challenge=challenge,
        submission_token=submission_token,
    )
    # The token's uniqueness is left to the database: a concurrent twin is found below.
    idea.full_clean(exclude=["submission_token"])
    try:
        # A savepoint: if a concurrent request with the same token won, use its idea.
        with transaction.atomic():
            idea.save()
    except IntegrityError:
        if submission_token is None:
            raise
        existing = _idea_of_token(submitter=submitter, token=submission_token, submit=submit)
        if existing is not None:
            return existing, False
        # Someone else's token (a tampered form): keep the idea, drop the guard.
        idea.submission_token = None
        idea.save()
    for uploaded in attachments:
        _attachment_add(idea=idea, uploaded=uploaded, actor=submitter)
    if submit:
        idea = idea_submit(idea=idea, actor=submitter)
    return idea, True


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    actor: User,
    data: dict,
    expected_version: int | str | None,
    attachments=(),
    submit: bool = False,
) -> Idea:
    """Change an idea's content while it is a draft or more information is asked for.

    ``expected_version`` is the idea's ``version`` when the form was opened: if anything saved
    the idea since (another tab, another device, a review step), or the form does not say,
    nothing is overwritten (``core.concurrency.check_version``). With ``submit`` the idea is
    then submitted (or, when information was asked for, sent back).
    """
    _check_submitter(idea=idea, actor=actor)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea.is_editable_by_submitter:
        raise ValidationError(
            _("An idea that is “%(status)s” can no longer be edited."),
            code="not_editable",
            params={"status": idea.get_status_display()},
        )
    check_version(idea, expected_version, message=STALE_IDEA_MESSAGE)
    unknown = set(data) - set(IDEA_CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    if "challenge" in data and data["challenge"] != idea.challenge:
        _check_challenge(challenge=data["challenge"], actor=actor)
    for field, value in data.items():
        setattr(idea, field, value)
    idea.full_clean()
    idea.save()
    for uploaded in attachments:
        _attachment_add(idea=idea, uploaded=uploaded, actor=actor)
    if submit:
        idea = idea_submit(idea=idea, actor=actor)
    return idea


@transaction.atomic
def idea_submit(*, idea: Idea, actor: User) -> Idea:
    """Send a draft (or an answered request for information) to the clinic's leader."""
    _check_submitter(idea=idea, actor=actor)
    first_submission = idea.submitted_at is None
    idea = idea_transition(idea=idea, to_status=S.SUBMITTED, actor=actor)
    if idea.assigned_leader_id is None:
        leader = _assign_leader(idea)
        if leader is not None:
            idea.assigned_leader = leader
            idea.full_clean()
            idea.save(update_fields=["assigned_leader", "updated_at", "version"])
    if idea.assigned_leader_id is not None:
        leader = idea.assigned_leader
        message = (
            _("New idea from {clinic}: “{title}”")
            if first_submission
            else _("An idea was sent back to you with more information: “{title}”")
        )
        notify(
            recipient=leader,
            message=format_lazy(message, clinic=idea.clinic.name, title=idea.title),
            url=reverse("portfolio:idea_detail", args=[idea.pk]),
        )
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, actor: User, note: str = "") -> Idea:
    _check_submitter(idea=idea, actor=actor)
    idea = idea_transition(idea=idea, to_status=S.WITHDRAWN, actor=actor, note=note)
    _notify_withdrawn(idea)
    return idea


@transaction.atomic
def idea_withdraw_on_behalf(*, idea: Idea, actor: User, note: str) -> Idea:
    """An administrator withdraws an idea for its submitter (who asked for it, or has left):
    the same transition and notices as ``idea_withdraw``, with the reason in the timeline.

    This is how an idea leaves the portfolio in the admin, which deletes none: the timeline,
    the questions and the reviews stay.
    """
    if not access_for(actor).is_superuser:
        raise PermissionDenied(_("Only an administrator withdraws an idea for its submitter."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the idea is withdrawn.")}, code="required")
    idea = idea_transition(idea=idea, to_status=S.WITHDRAWN, actor=actor, note=note)
    _notify_withdrawn(idea)
    return idea


def _notify_withdrawn(idea: Idea) -> None:
    if idea.assigned_leader_id is not None:
        notify(
            recipient=idea.assigned_leader,
            message=format_lazy(_("An idea was withdrawn: “{title}”"), title=idea.title),
            url=reverse("portfolio:idea_detail", args=[idea.pk]),
        )


@transaction.atomic
def idea_answer_question(*, question: IdeaQuestion, actor: User, answer: str) -> IdeaQuestion:
    """The submitter answers a reviewer's question; the asker is told.

    When the last open question of an idea that needs more information is answered, the idea
    goes back to the review queue (SUBMITTED) by itself: answering is how staff send it back.
    """
    question = IdeaQuestion.objects.select_for_update().select_related("idea").get(pk=question.pk)
    idea = question.idea
    _check_submitter(idea=idea, actor=actor)
    if idea.status not in (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO):
        raise ValidationError(
            _("Questions on an idea that is “%(status)s” can no longer be answered."),
            code="closed",
            params={"status": idea.get_status_display()},
        )
    if question.answer:
        raise ValidationError(_("This question has already been answered."), code="answered")
    question.answer = answer.strip()
    question.answered_at = timezone.now()
    question.full_clean()
    question.save()
    notify(
        recipient=question.asked_by,
        message=format_lazy(_("Your question on “{title}” was answered"), title=idea.title),
        url=reverse("portfolio:idea_detail", args=[idea.pk]),
    )
    still_open = IdeaQuestion.objects.filter(idea=idea, answered_at__isnull=True).exists()
    if idea.status == S.NEEDS_INFO and not still_open:
        idea_transition(idea=idea, to_status=S.SUBMITTED, actor=actor, note=_("Questions answered"))
    return question


# --- Told what happens to the project -------------------------------------------------------


def idea_notify_project_stage_change(
    *, project: Project, from_stage: str, to_stage: str, actor: User | None = None
) -> None:
    """Tell the submitter of the idea a project came from that the project changed stage.

    Call it from the service that records a ``StageChange`` (inside its transaction). Nothing
    happens for projects without an idea, or when the submitter made the change themselves.
    """
    idea = project.idea if project.idea_id else None
    if idea is None:
        return
    submitter = idea.submitter
    if actor is not None and actor.pk == submitter.pk:
        return
    notify(
        recipient=submitter,
        message=format_lazy(
            _("The project “{project}” from your idea moved from {from_stage} to {to_stage}"),
            project=project.title,
            from_stage=Project.Stage(from_stage).label if from_stage else "–",
            to_stage=Project.Stage(to_stage).label,
        ),
        url=reverse("portfolio:idea_detail", args=[idea.pk]),
    )
