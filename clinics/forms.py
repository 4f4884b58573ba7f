from functools import partial

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six-digit code your authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args, check=None, allow_recovery=True, **kwargs):
        """``check(code)`` returns the device that accepts the code, or None."""
        super().__init__(*args, **kwargs)
        self._check = check
        self.device = None
        if not allow_recovery:
            self.fields["code"].help_text = _(
                "The six-digit code your authenticator app shows now."
            )

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = self._check(code) if self._check else None
        if self.device is None:
            raise forms.ValidationError(
                _("That code is not right, or has been used. Try the code shown now."),
                code="invalid",
            )
        return code


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the request never looks the address up.

    Django's form finds the accounts and sends the mail inside the request, only when an
    account has the address: the answer comes measurably later for known addresses. Here every
    request does the same work, whatever the address — queue one task after the commit — and
    the task looks the address up and mails the link in the language of the page it was asked
    from (as Django's view would).
    """

    def save(self, *, request=None, domain_override=None, use_https=False, **_django_options):
        # The view passes Django's template names and token generator; the task uses the same
        # defaults (templates/registration/password_reset_*.{txt,html}).
        from .tasks import password_reset_email_task

        transaction.on_commit(
            partial(
                password_reset_email_task.delay,
                email=self.cleaned_data["email"],
                domain=domain_override or request.get_host(),
                use_https=use_https,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        )
