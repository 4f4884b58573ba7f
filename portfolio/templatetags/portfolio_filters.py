from django import template

register = template.Library()


@register.simple_tag
def filter_link(filters, **changes) -> str:
    """``?…`` for the dashboard with the current filters and ``changes``: a figure's link
    narrows the view the leader is looking at."""
    return f"?{filters.as_query(**changes)}"
