"""The discussion of ideas and projects: writing, editing and deleting comments, and telling
the people concerned (the mentioned, the idea's submitter, the thread's earlier participants)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from core.models import Notification
from core.notifications import notify
from portfolio.access import (
    comment_edit_window_open,
    comment_is_own,
    thread_can_read,
    thread_can_write,
)
from portfolio.models import Comment, Idea, Project
from portfolio.selectors.comments import comment_is_answered, thread_url
from portfolio.selectors.team import project_team_users

# "@name" not preceded by a word character (an e-mail address is no mention). Django's
# usernames hold letters, digits and @ . + - _; a full stop ends a sentence, not a name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")
# Names looked up per comment at most: a pasted list of names notifies nobody beyond these.
MENTIONS_MAX = 20


def mentioned_usernames(text: str) -> list[str]:
    """The ``@username`` names in ``text``, in order, each once."""
    names = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
    return names[:MENTIONS_MAX]


def thread_followers(target: Idea | Project) -> list[User]:
    """Who is told of a new comment in ``target``'s thread: the idea's submitter (of the idea,
    or of the idea the project came from), everyone who has written in the thread and, for a
    project, its team's accepted members.

    The one list of a thread's followers. Whether each may still read the thread is checked
    by the caller, so this may be generous.
    """
    ids = set(Comment.objects.of_thread(target).values_list("author_id", flat=True))
    idea = target if isinstance(target, Idea) else target.idea
    if idea is not None:
        ids.add(idea.submitter_id)
    if isinstance(target, Project):
        ids.update(project_team_users(target).values_list("pk", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _mentioned_readers(target, text: str, *, exclude: set[int]) -> list[User]:
    """Active people named in ``text`` who may read the thread; an unknown name, or one of a
    person who may not read it, is left as text and tells nobody anything."""
    names = mentioned_usernames(text)
    if not names:
        return []
    people = User.objects.filter(username__in=names, is_active=True).exclude(pk__in=exclude)
    return [person for person in people if thread_can_read(access_for(person), target)]


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")}, code="required")
    if len(text) > Comment.MAX_LENGTH:
        raise ValidationError(
            {
                "text": format_lazy(
                    _("A comment holds at most {limit} characters; this one has {count}."),
                    limit=Comment.MAX_LENGTH,
                    count=len(text),
                )
            },
            code="max_length",
        )
    return text


def _tell(target, comment: Comment, actor: User, mentioned: list[User], followers) -> None:
    """Notify the mentioned (of the mention) and the other followers (of the comment); never
    the author, and each person once."""
    title = target.title
    url = thread_url(target, comment)
    told = {actor.pk}
    for person in mentioned:
        told.add(person.pk)
        notify(
            recipient=person,
            message=format_lazy(
                _("{who} mentioned you in the discussion of “{title}”."),
                who=str(actor),
                title=title,
            ),
            url=url,
            kind=Notification.Kind.MENTION,
        )
    for person in followers:
        if person.pk in told or not thread_can_read(access_for(person), target):
            continue
        told.add(person.pk)
        notify(
            recipient=person,
            message=format_lazy(_("{who} commented on “{title}”."), who=str(actor), title=title),
            url=url,
            kind=Notification.Kind.COMMENT,
        )


@transaction.atomic
def comment_add(*, target: Idea | Project, actor: User, text: str) -> Comment:
    """Write a comment in ``target``'s thread and tell the people concerned."""
    if not thread_can_write(access_for(actor), target):
        raise PermissionDenied
    text = _clean_text(text)
    # The followers before this comment: its author is not told of their own words.
    followers = thread_followers(target)
    comment = Comment(author=actor, text=text)
    if isinstance(target, Idea):
        comment.idea = target
    else:
        comment.project = target
    comment.full_clean()
    comment.save()
    mentioned = _mentioned_readers(target, text, exclude={actor.pk})
    _tell(target, comment, actor, mentioned, followers)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, actor: User, text: str, expected_version) -> Comment:
    """The author corrects their comment within ``Comment.EDIT_MINUTES``; it shows "edited".
    People newly mentioned in the correction are told; nobody else is told again."""
    current = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "project")
        .get(pk=comment.pk)
    )
    access = access_for(actor)
    if not comment_is_own(access, current) or not thread_can_write(access, current.target):
        raise PermissionDenied
    if not comment_edit_window_open(current, timezone.now()):
        raise ValidationError(
            format_lazy(
                _("A comment can be edited for {minutes} minutes after it is written."),
                minutes=Comment.EDIT_MINUTES,
            ),
            code="edit_window_closed",
        )
    check_version(current, expected_version)
    text = _clean_text(text)
    if text == current.text:
        return current
    before = set(mentioned_usernames(current.text))
    current.text = text
    current.edited_at = timezone.now()
    current.full_clean()
    current.save()
    new_names = set(mentioned_usernames(text)) - before
    if new_names:
        mentioned = [
            person
            for person in _mentioned_readers(current.target, text, exclude={actor.pk})
            if person.username in new_names
        ]
        _tell(current.target, current, actor, mentioned, followers=[])
    return current


@transaction.atomic
def comment_delete(*, comment: Comment, actor: User) -> None:
    """The author takes back a comment nobody has answered yet; an answered one stays, so an
    answer never loses what it answers."""
    current = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "project")
        .get(pk=comment.pk)
    )
    access = access_for(actor)
    if not comment_is_own(access, current) or not thread_can_write(access, current.target):
        raise PermissionDenied
    if comment_is_answered(current):
        raise ValidationError(
            _("This comment has been answered, so it stays: an answer must not lose its question."),
            code="answered",
        )
    current.delete()
