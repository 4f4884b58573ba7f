"""The registry through which every app hands in its part of a person's data.

``clinics`` is the base layer and imports no app above it, yet a person's data export and their
erasure must reach everything the apps above hold about them. So each app registers its part
in ``AppConfig.ready()``: an ``export`` that returns sections of rows, an ``erase`` that runs
inside the erasure's transaction, and a ``deactivate`` for what must end with the account (the
API token). ``personal_data_for`` and ``user_erase`` call every part.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class PersonalDataPart:
    name: str
    export: Callable | None = None  # (user) -> {section: rows}
    erase: Callable | None = None  # (user, old_username) -> None
    deactivate: Callable | None = None  # (user) -> None: what must not outlive the account


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(
    *, name: str, export: Callable | None = None, erase=None, deactivate=None
) -> None:
    """Add (or, on a repeated ``ready()``, replace) one app's part."""
    _parts[name] = PersonalDataPart(name=name, export=export, erase=erase, deactivate=deactivate)


def personal_data_parts() -> list[PersonalDataPart]:
    return list(_parts.values())


def rows(queryset: QuerySet, *fields) -> list[dict]:
    """The named fields of each row, as plain dictionaries for the JSON download."""
    return [dict(row) for row in queryset.values(*fields)]


def history_rows(user, *models) -> list[dict]:
    """The audit trail's records of changes ``user`` made to ``models``: what, which, when."""
    return [
        {"object": model._meta.model_name, **row}
        for model in models
        for row in rows(
            model.history.filter(history_user=user).order_by("history_date"),
            "id",
            "history_type",
            "history_date",
        )
    ]
