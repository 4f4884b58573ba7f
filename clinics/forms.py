from django import forms
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
