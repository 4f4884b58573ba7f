"""Forms of staff's idea pages: the idea itself, answers to questions, notification settings."""

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinics.models import Clinic, User
from core.concurrency import parse_version
from core.uploads import ALLOWED_EXTENSIONS
from portfolio.models import Challenge, Idea
from portfolio.selectors.challenges import challenges_open_for
from portfolio.services.ideas import STALE_IDEA_MESSAGE, attachment_check

# Long enough for a careful description, short enough that a pasted log file is refused.
TEXT_MAX_LENGTH = 5000
BENEFIT_MAX_LENGTH = 1000
MAX_FILES_PER_SUBMIT = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files, errors = [], []
        for item in items:
            if not item:
                continue
            try:
                files.append(super().clean(item, initial))
            except ValidationError as error:
                # Django's own messages ("The submitted file is empty.") do not say which file.
                name = getattr(item, "name", "") or ""
                errors.extend(
                    ValidationError(
                        _("“%(name)s”: %(error)s"),
                        code=getattr(error, "code", None) or "invalid",
                        params={"name": name, "error": message},
                    )
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return files


class IdeaForm(forms.ModelForm):
    """Create or edit an idea. ``user`` scopes the clinic and challenge choices to them."""

    clinic = forms.ModelChoiceField(
        queryset=Clinic.objects.none(),
        label=_("Clinic"),
        help_text=_("The clinic where you work; the idea goes to its innovation leader."),
        empty_label=None,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Optional: photos, PDF or office documents (Word, Excel, PowerPoint, OpenDocument), "
            "each at most 10 MB. Do not attach patient data."
        ),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # The idea's version when the form was opened: a later change elsewhere is not overwritten
    # (the service checks it, and refuses a missing or damaged one: core.concurrency).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Idea
        fields = [
            "title",
            "problem",
            "proposal",
            "benefit_patients",
            "benefit_staff",
            "benefit_economy",
            "challenge",
        ]
        labels = {
            "title": _("Title"),
            "problem": _("Problem or need"),
            "proposal": _("Proposed solution"),
            "benefit_patients": _("Value for patients"),
            "benefit_staff": _("Value for staff"),
            "benefit_economy": _("Value for the economy"),
            "challenge": _("Challenge it answers"),
        }
        help_texts = {
            "title": _("A short name others will recognise, e.g. “Text reminders before visits”."),
            "problem": _("What you see in daily care that could be better, and for whom."),
            "proposal": _("Optional: a need alone is a valid idea."),
            "benefit_patients": _("Optional: how patients or their families would benefit."),
            "benefit_staff": _("Optional: how your colleagues' work would get easier or better."),
            "benefit_economy": _("Optional: time or money it could save, roughly."),
            "challenge": _("Optional: an open challenge of your region or clinic this answers."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "benefit_patients": forms.Textarea(attrs={"rows": 2}),
            "benefit_staff": forms.Textarea(attrs={"rows": 2}),
            "benefit_economy": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["clinic"].queryset = Clinic.objects.filter(pk=user.clinic_id)
        self.fields["clinic"].initial = user.clinic_id
        challenges = challenges_open_for(user=user)
        if self.instance.pk and self.instance.challenge_id:
            # Keep the challenge an idea already answers, even after it closed.
            challenges = Challenge.objects.filter(
                Q(pk__in=challenges.values("pk")) | Q(pk=self.instance.challenge_id)
            ).select_related("clinic")
        self.fields["challenge"].queryset = challenges
        self.fields["challenge"].empty_label = _("No challenge")
        for name, limit in (
            ("problem", TEXT_MAX_LENGTH),
            ("proposal", TEXT_MAX_LENGTH),
            ("benefit_patients", BENEFIT_MAX_LENGTH),
            ("benefit_staff", BENEFIT_MAX_LENGTH),
            ("benefit_economy", BENEFIT_MAX_LENGTH),
        ):
            self.fields[name].max_length = limit
            self.fields[name].validators.append(MaxLengthValidator(limit))
            self.fields[name].widget.attrs["maxlength"] = limit
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields.pop("submission_token")
        else:
            self.fields["submission_token"].initial = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Your idea"),
                Field("title", autocomplete="off"),
                "problem",
                "proposal",
            ),
            Fieldset(
                _("Who benefits and how"), "benefit_patients", "benefit_staff", "benefit_economy"
            ),
            Fieldset(_("Where it belongs"), "clinic", "challenge"),
            Fieldset(_("Attachments"), "attachments"),
            *[name for name in ("submission_token", "version") if name in self.fields],
        )

    def clean_version(self):
        """The version an edit form was opened with. A missing or damaged one is a stale form
        at once (the service would refuse it too, ``core.concurrency.check_version``)."""
        value = self.cleaned_data.get("version") or ""
        if self.instance.pk and parse_version(value) is None:
            # Not next to the hidden field (nobody would see it): at the top of the form.
            self.add_error(None, ValidationError(STALE_IDEA_MESSAGE, code="stale"))
        return value

    def clean_submission_token(self):
        # A damaged token only loses the double-submit guard; it must not block the person.
        try:
            return uuid.UUID(self.cleaned_data.get("submission_token") or "")
        except ValueError:
            return None

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES_PER_SUBMIT:
            raise ValidationError(
                _("Attach at most %(max)d files at a time."), params={"max": MAX_FILES_PER_SUBMIT}
            )
        errors = []
        for uploaded in files:
            try:
                attachment_check(uploaded)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        self.name_chosen_files()
        return cleaned

    def name_chosen_files(self) -> None:
        """If the form is refused, name every chosen file and ask for them again.

        A browser cannot be told to keep a chosen file. Called by ``clean()`` and again by the
        views when a service refuses the form after it was valid; names them once.
        """
        if getattr(self, "_files_named", False) or not self.errors:
            return
        # Every chosen file, good or bad: the cleaned list is gone once one of them is refused.
        chosen = [
            uploaded.name
            for uploaded in self.files.getlist(self.add_prefix("attachments"))
            if uploaded and uploaded.name
        ]
        if not chosen:
            return
        self._files_named = True
        names = ", ".join(f"“{name}”" for name in chosen)
        self.add_error(
            "attachments",
            ngettext(
                "You had chosen %(names)s: please choose the file again.",
                "You had chosen %(names)s: please choose the files again.",
                len(chosen),
            )
            % {"names": names},
        )

    @property
    def content_data(self) -> dict:
        """The typed content, as the services take it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The innovation leader who asked is told when you answer."),
    )

    def __init__(self, *args, question_id: int, **kwargs):
        kwargs.setdefault("prefix", f"q{question_id}")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("Write an answer."), code="required")
        return answer


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notify_in_app", "notify_by_email"]
        labels = {
            "notify_in_app": _("Show notifications in Partnerskap"),
            "notify_by_email": _("Send notifications by e-mail"),
        }
        help_texts = {
            "notify_in_app": _("Messages under “Notifications”, with a count in the menu."),
            "notify_by_email": _("An e-mail to your address for each message."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
