"""Forms of the leader's review page: ask, score, accept, decline, merge; the queue's filter."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import REVIEW_CRITERIA, Review

SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]

CRITERION_HELP = {
    "score_patient_value": _("1 = none, 5 = a clear gain in quality or safety for patients."),
    "score_staff_value": _("1 = none, 5 = a clear gain in the working day of staff."),
    "score_economic_value": _("1 = none, 5 = large savings or new income."),
    "score_feasibility": _("1 = hardly possible, 5 = can be done with what we have."),
    "score_strategic_fit": _("1 = outside our priorities, 5 = at the heart of them."),
}


class _NoFormTagHelper(FormHelper):
    """The page writes its own <form> (with the action field); crispy renders the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_tag = False
        self.disable_csrf = True


class ReviewForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REVIEW_CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=Review._meta.get_field(name).verbose_name.capitalize(),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=CRITERION_HELP[name],
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Your recommendation"),
            choices=Review.Recommendation.choices,
            initial=Review.Recommendation.UNDECIDED,
            help_text=_("Only the leaders see it; the decision is taken below."),
        )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Why you scored as you did. Only the leaders see it."),
        )
        self.helper = _NoFormTagHelper()
        self.helper.layout = Layout(
            *[InlineRadios(name) for name in REVIEW_CRITERIA], "recommendation", "comment"
        )

    @property
    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in REVIEW_CRITERIA}


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the submitter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The idea waits for the answer as “needs more information”."),
    )


class AcceptForm(forms.Form):
    title = forms.CharField(
        label=_("Project title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the idea's title."),
    )
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the project's stage history and shown to the submitter."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The submitter sees this reason."),
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=None,
        help_text=_("The idea that is kept. This idea will point to it."),
    )
    note = forms.CharField(
        label=_("Note to the submitter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why the ideas belong together."),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets


class DecisionMergeForm(MergeForm):
    """The merge on the review page's one decision form, where ``note`` is the accept's note:
    the same fields, the note under its own name so that the two do not collide."""

    note = None
    merge_note = forms.CharField(
        label=_("Note to the submitter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why the ideas belong together."),
    )


class ReviewQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("waiting", _("Waiting for a leader")),
            ("needs_info", _("Waiting for the submitter")),
            ("open", _("All undecided")),
        ],
        help_text=_("Which ideas to list."),
    )
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        required=False,
        queryset=None,
        empty_label=_("All my clinics"),
        help_text=_("Only the clinics you lead."),
    )
    q = forms.CharField(
        label=_("Search ideas"),
        required=False,
        max_length=200,
        help_text=_("Words in title or problem."),
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics

    def value(self, name, default=None):
        """A filter's cleaned value, or ``default`` if it was missing or invalid."""
        if not self.is_bound or not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default
