"""Optimistic locking: one check for every form that edits what someone else may edit too.

A locked model has an integer version that grows with each save (``VersionField``, or the
milestone's ``version``, which its service bumps in a conditional UPDATE). A form carries the
version the person read in a hidden field; the service locks the row
(``select_for_update``) and calls ``check_version`` before it writes. If the row was saved
since, nothing is written and the page answers 409 with the row as it is now.

A missing, blank or damaged version is refused like a stale one: a form that does not say
what it was based on cannot show that it is not overwriting someone else's change.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("Someone else changed this meanwhile. Reload the page and try again.")


class VersionField(models.PositiveIntegerField):
    """How many times the row was saved: 1 when it is created, one more at every ``save()``,
    whoever saves it (a service, the admin, a script), as ``auto_now`` keeps ``updated_at``.

    ``save(update_fields=[...])`` writes only the fields named, so a partial save that should
    count (any save a person's open form must not overwrite) names ``"version"`` too; a bulk
    ``.update()`` sets ``version=F("version") + 1`` itself. Not editable in forms: only saves
    move it.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") == 1:
            del kwargs["default"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not add:
            # The services read the row under select_for_update before they save it, so no
            # other save can come between this read and the write.
            value = (value or 0) + 1
            setattr(model_instance, self.attname, value)
        return value


def parse_version(value) -> int | None:
    """A version as a form or an API sends it (a number, or its text); None if it is
    missing, blank or not a whole number of at least 1."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            number = int(text)
            return number if number >= 1 else None
    return None


def version_of(current) -> int:
    """The version of ``current``: a model instance (its ``VersionField``, else its
    ``version``), or the version itself."""
    if isinstance(current, int):
        return current
    for field in current._meta.concrete_fields:
        if isinstance(field, VersionField):
            return getattr(current, field.attname)
    return current.version


def check_version(
    current,
    expected,
    *,
    message=None,
    params: dict | None = None,
    error_class: type[ValidationError] = ValidationError,
) -> None:
    """Refuse a write based on a version other than ``current``'s.

    ``current`` is the row as it is now, read under ``select_for_update`` (or its version);
    ``expected`` is the version the person's form carried. Raises ``error_class`` (a
    ``ValidationError``, code "stale", with ``message``) if ``expected`` is missing, blank,
    not a whole number, or not the current version. The caller writes nothing then.
    """
    if parse_version(expected) != version_of(current):
        raise error_class(message or STALE_MESSAGE, code="stale", params=params)
