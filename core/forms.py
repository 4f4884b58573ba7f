"""What every app's forms share: putting a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: next to the field it names when the
    form has that field, above the form otherwise (a field the form does not show, a
    whole-object rule, a stale version).

    The services validate the model (``full_clean``) and their own rules, so their errors name
    model fields, which need not all be on the form; ``form.add_error`` would raise for those.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_has_error_code(form: forms.BaseForm, *codes: str) -> bool:
    """Whether one of the errors above the form has one of ``codes`` (e.g. "stale": the
    page then answers 409 Conflict rather than 400)."""
    return any(error.code in codes for error in form.errors.as_data().get("__all__", []))
