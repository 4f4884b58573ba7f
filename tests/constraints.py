"""Helpers for constraint tests: each named constraint is tested on both paths.

``full_clean()`` must refuse the row with a ValidationError (what forms and services see), and
``objects.create()`` must be refused by the database with an IntegrityError (what anything that
skips validation meets: the admin's bulk actions, scripts, raw SQL).
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint

PATHS = ["full_clean", "create"]


def named_constraints(app_label: str) -> set[str]:
    return {
        constraint.name
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }


def _constraint(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


def assert_refused(path: str, model, name: str, values: dict) -> None:
    """The row ``values`` breaks constraint ``name``: check that ``path`` refuses it."""
    constraint = _constraint(model, name)
    if path == "full_clean":
        instance = model(**values)
        with pytest.raises(ValidationError):
            instance.full_clean()
        # ...and the refusal is this constraint's, not some field's own validation.
        with pytest.raises(ValidationError):
            constraint.validate(model, instance)
        return
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        model.objects.create(**values)
    # SQLite names a failed CHECK but lists only the columns of a failed UNIQUE.
    if isinstance(constraint, CheckConstraint) or connection.vendor == "postgresql":
        assert name in str(error.value)
