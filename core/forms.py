from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from core.password_reset import password_reset_request


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
