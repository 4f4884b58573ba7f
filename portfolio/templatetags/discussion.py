from django import template

from clinics.access import access_for
from portfolio.forms.comments import CommentForm
from portfolio.selectors.comments import (
    THREAD_SHOWN_ON_PAGE,
    comments_mark_actions,
    thread_newest,
    thread_page_url,
)

register = template.Library()


@register.inclusion_tag("portfolio/_discussion.html", takes_context=True)
def discussion(context, target):
    """The discussion section of an idea's or a project's page: the newest comments, a link to
    the earlier ones, and the form. The page has read ``target`` through its ``visible_to``,
    and whoever reads it may write in its thread. Three queries, however long the thread."""
    request = context["request"]
    count, newest = thread_newest(target, THREAD_SHOWN_ON_PAGE)
    return {
        "target": target,
        "count": count,
        "has_earlier": count > len(newest),
        "comments": comments_mark_actions(newest, access_for(request.user)),
        "form": CommentForm(initial={"next": request.path}),
        "thread_url": thread_page_url(target),
        "csrf_token": context.get("csrf_token"),
        "on_own_page": True,
    }
