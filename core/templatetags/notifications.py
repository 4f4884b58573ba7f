from django import template

from core.selectors import unread_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The header badge: how many notifications the signed-in person has not read."""
    request = context.get("request")
    if request is None:
        return 0
    return unread_notification_count(user=request.user)
