"""The discussion of ideas and projects: the thread pages, and a comment's edit and delete.

Thin views: the idea or project is read through its ``visible_to`` selector (404 alike for
missing and not yours: a partner never reaches an idea's thread, nor a project's of another
party); whoever reads a thread writes in it; a comment's own actions belong to its author (403
for other readers). Refusals of the services are shown next to the form, nothing typed lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinics.access import access_for, require
from core.forms import add_service_errors, form_has_error_code
from portfolio.access import comment_edit_window_open, comment_is_own
from portfolio.forms.comments import CommentEditForm, CommentForm
from portfolio.models import Comment
from portfolio.selectors.comments import (
    comment_for_user_or_404,
    comments_mark_actions,
    thread_page,
    thread_page_url,
    thread_url,
)
from portfolio.selectors.ideas import idea_for_user_or_404
from portfolio.selectors.projects import project_for_user_or_404
from portfolio.services.comments import comment_add, comment_delete, comment_edit


@login_required
@require_http_methods(["GET", "POST"])
def idea_comments(request, pk):
    return _thread(request, idea_for_user_or_404(user=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def project_comments(request, pk):
    return _thread(request, project_for_user_or_404(request.user, pk))


def _back_to(request, target, candidate: str) -> str:
    """The page the form was sent from, if it is one of this site's; else the thread page."""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate.split("#")[0]
    return thread_page_url(target)


def _thread(request, target):
    status = 200
    form = CommentForm(initial={"next": thread_page_url(target)})
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = comment_add(
                    target=target, actor=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your comment is posted."))
                back = _back_to(request, target, form.cleaned_data["next"])
                return redirect(f"{back}#comment-{comment.pk}")
        status = 400
    return _render_thread(request, target, form, status=status)


def _render_thread(request, target, form, *, status):
    page = thread_page(target, request.GET.get("page"))
    return render(
        request,
        "portfolio/comment_thread.html",
        {
            "target": target,
            "target_url": thread_url(target),
            "page": page,
            "comments": comments_mark_actions(page, access_for(request.user)),
            "form": form,
            "thread_url": thread_page_url(target),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit_view(request, pk):
    comment = comment_for_user_or_404(request.user, pk)
    require(comment_is_own(access_for(request.user), comment))
    target = comment.target
    if request.method == "GET":
        if not comment_edit_window_open(comment, timezone.now()):
            messages.error(
                request,
                _("A comment can be edited for %(minutes)d minutes after it is written.")
                % {"minutes": Comment.EDIT_MINUTES},
            )
            return redirect(thread_url(target, comment))
        form = CommentEditForm(
            initial={"text": comment.text, "version": comment.version, "next": ""}
        )
        return render(
            request,
            "portfolio/comment_edit.html",
            {"form": form, "comment": comment, "back_url": thread_url(target, comment)},
        )
    form = CommentEditForm(request.POST)
    if form.is_valid():
        try:
            comment_edit(
                comment=comment,
                actor=request.user,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect(thread_url(target, comment))
    stale = form_has_error_code(form, "stale")
    if stale:
        # Show the comment as it is now, and let the next save be based on it.
        comment = comment_for_user_or_404(request.user, pk)
        form.data = form.data.copy()
        form.data["version"] = comment.version
    return render(
        request,
        "portfolio/comment_edit.html",
        {
            "form": form,
            "comment": comment,
            "stale": stale,
            "back_url": thread_url(target, comment),
        },
        status=409 if stale else 400,
    )


@login_required
@require_POST
def comment_delete_view(request, pk):
    comment = comment_for_user_or_404(request.user, pk)
    require(comment_is_own(access_for(request.user), comment))
    target = comment.target
    try:
        comment_delete(comment=comment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_thread(
            request, target, CommentForm(initial={"next": thread_page_url(target)}), status=400
        )
    messages.success(request, _("Your comment is deleted."))
    return redirect(f"{thread_url(target)}#discussion-heading")
