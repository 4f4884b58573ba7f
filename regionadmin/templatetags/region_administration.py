from django import template

from clinics.access import access_for

register = template.Library()


@register.filter
def administers_a_region(user) -> bool:
    """Whether the person menu offers "Region administration" (clinics.access, one query,
    cached on the person's ``Access`` for the rest of the request)."""
    return bool(access_for(user).administered_region_ids)
