"""What every app's forms share: putting a service's refusal on the form that asked for it, and
the password-reset form that never looks the address up in the request."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation

from core.password_reset import password_reset_request


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


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the request never looks the address up: it keeps the request
    for the sender (``core.password_reset``), whatever the address, and always answers alike.
    The mail comes in the language of the page it was asked from (as Django's view would)."""

    def save(self, *, request=None, domain_override=None, use_https=False, **_django_options):
        # The view passes Django's template names and token generator; the sender uses the same
        # defaults (templates/registration/password_reset_*).
        password_reset_request(
            email=self.cleaned_data["email"],
            domain=domain_override or request.get_host(),
            use_https=use_https,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
