"""Reads of the discussions of ideas and projects, scoped through ``visible_to``."""

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from clinics.access import Access
from clinics.models import User
from portfolio.access import comment_can_delete, comment_can_edit
from portfolio.models import Comment, Idea, Project

# Comments on one page of a thread, and the newest ones shown on the idea or project page.
THREAD_PAGE_SIZE = 20
THREAD_SHOWN_ON_PAGE = 10


def _later_answers(thread: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments of ``thread`` after the outer one, by someone else: an answer to it."""
    return thread.filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    ).exclude(author_id=OuterRef("author_id"))


def thread_comments(target: Idea | Project) -> QuerySet[Comment]:
    """The thread, oldest first, with each comment's author and whether it has been answered
    (a subquery, so a page costs the same whatever its length). The caller has read
    ``target`` through its ``visible_to``."""
    thread = Comment.objects.of_thread(target)
    return (
        thread.select_related("author")
        .annotate(answered=Exists(_later_answers(Comment.objects.of_thread(target))))
        .order_by("created_at", "pk")
    )


def comment_is_answered(comment: Comment) -> bool:
    return (
        Comment.objects.of_thread(comment.target)
        .filter(
            Q(created_at__gt=comment.created_at)
            | Q(created_at=comment.created_at, pk__gt=comment.pk)
        )
        .exclude(author_id=comment.author_id)
        .exists()
    )


def comment_for_user_or_404(user: User, pk) -> Comment:
    """A comment of a thread ``user`` may read; 404 alike for "missing" and "not yours"."""
    return get_object_or_404(
        Comment.objects.visible_to(user).select_related("author", "idea", "project"), pk=pk
    )


def thread_page(target: Idea | Project, number=None, *, size: int = THREAD_PAGE_SIZE) -> Page:
    """One page of the thread; without a number the newest (last) page, so a thread reads
    from the top down and the newest comment is next to the form."""
    paginator = Paginator(thread_comments(target), size)
    if number in (None, ""):
        number = paginator.num_pages
    return paginator.get_page(number)


def thread_newest(target: Idea | Project, size: int) -> tuple[int, list[Comment]]:
    """How many comments the thread has, and its newest ``size``, oldest of them first."""
    comments = thread_comments(target)
    newest = list(comments.order_by("-created_at", "-pk")[:size])
    return comments.count(), newest[::-1]


def comments_mark_actions(comments, access: Access) -> list[Comment]:
    """Say on each comment what the reader may do with it (edit, delete)."""
    now = timezone.now()
    comments = list(comments)
    for comment in comments:
        comment.can_edit = comment_can_edit(access, comment, now)
        comment.can_delete = comment_can_delete(access, comment, answered=comment.answered)
    return comments


def thread_url(target: Idea | Project, comment: Comment | None = None) -> str:
    """The page that shows the thread with the idea or the project, at ``comment``."""
    if isinstance(target, Idea):
        url = reverse("portfolio:idea_detail", args=[target.pk])
    else:
        url = reverse("portfolio:project_detail", args=[target.pk])
    return f"{url}#comment-{comment.pk}" if comment is not None else url


def thread_page_url(target: Idea | Project) -> str:
    """The thread's own page: every comment, page by page."""
    name = "portfolio:idea_comments" if isinstance(target, Idea) else "portfolio:project_comments"
    return reverse(name, args=[target.pk])
