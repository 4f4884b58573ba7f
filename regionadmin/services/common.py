"""What the region administration services share: the access check, unique slugs, the
version check for the clinics app's plain ``version`` integers."""

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify

from clinics.access import access_for, region_can_administer
from clinics.models import Region, User


def require_region_administrator(actor: User, region: Region | int) -> None:
    region_id = region if isinstance(region, int) else region.pk
    if not region_can_administer(access_for(actor), region_id):
        raise PermissionDenied


def unique_slug(text: str, *, taken, max_length: int) -> str:
    """A slug of ``text`` that ``taken(slug)`` says is free: "name", "name-2", "name-3" ..."""
    base = (slugify(text) or "item")[: max_length - 4].strip("-") or "item"
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def record_actor(instance, actor: User) -> None:
    """Who made this change, in its history row (the request middleware is not there for a
    script or a test)."""
    instance._history_user = actor


def name_taken(queryset, field: str, name: str) -> bool:
    """Whether a row of ``queryset`` has ``name`` in ``field``, ignoring case in every script
    (SQLite's case-insensitive match knows only ASCII: "IDUN" but not "TANDVÅRD"). A region's
    clinics or themes are tens of names, read once."""
    wanted = name.casefold()
    return any(
        (value or "").casefold() == wanted for value in queryset.values_list(field, flat=True)
    )
