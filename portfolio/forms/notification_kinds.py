"""The notification settings' second part: which kinds of notification a person wants."""

from crispy_forms.helper import FormHelper
from django import forms

from core.models import Notification
from core.notifications import notification_kinds_for, notification_kinds_off


class NotificationKindsForm(forms.Form):
    """One box per kind the person may switch (``notification_kinds_for``), ticked unless they
    switched it off. Every kind is on until switched off."""

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "kinds")
        super().__init__(*args, **kwargs)
        off = notification_kinds_off(user)
        for kind in notification_kinds_for(user):
            self.fields[kind] = forms.BooleanField(
                label=Notification.Kind(kind).label, required=False, initial=kind not in off
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in self.fields}
