"""Forms of the results pages: the public filter (GET) and the leader's publication form. They
validate input; the rules live in ``results.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import _helper
from portfolio.models import Project, ValueIndicator

from .models import Publication
from .selectors import PAGE_SIZE, PAGE_SIZE_MAX


class ResultFilterForm(forms.Form):
    """The public list's filters, all optional; a value that is not one of the choices is an
    error next to its field, and the list is shown without it."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=None, required=False, to_field_name="slug"
    )
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=None, required=False)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=None, required=False, to_field_name="slug"
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    per_page = forms.IntegerField(
        label=_("Results per page"),
        required=False,
        min_value=1,
        max_value=PAGE_SIZE_MAX,
        widget=forms.HiddenInput,
    )

    def __init__(self, data, *, choices: dict):
        super().__init__(data)
        self.fields["region"].queryset = choices["regions"]
        self.fields["region"].empty_label = _("All regions")
        self.fields["clinic"].queryset = choices["clinics"]
        self.fields["clinic"].empty_label = _("All clinics")
        self.fields["theme"].queryset = choices["themes"]
        self.fields["theme"].empty_label = _("All themes")
        self.fields["stage"].choices = [("", _("All stages")), *Project.Stage.choices]

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out (its error is on the form)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned.get(name) or None
            for name in ("region", "clinic", "theme", "stage")
            if name not in self.errors
        }

    def page_size(self) -> int:
        if "per_page" in self.errors:
            return PAGE_SIZE
        return getattr(self, "cleaned_data", {}).get("per_page") or PAGE_SIZE


class PublicationForm(forms.ModelForm):
    """The public result of one project: texts for citizens and which indicators to show."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Value indicators to publish"),
        queryset=ValueIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their baseline, latest measurement and target are shown."),
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "summary",
            "patient_change",
            "summary_sv",
            "summary_da",
            "summary_en",
            "patient_change_sv",
            "patient_change_da",
            "patient_change_en",
        ]
        help_texts = {
            "summary": _(
                "Written for citizens, in the region's language: what the project did and what "
                "came of it. No names of people, no amounts, nothing confidential."
            ),
            "patient_change": _("What is different for patients now."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "summary_sv",
                "summary_da",
                "summary_en",
                "patient_change_sv",
                "patient_change_da",
                "patient_change_en",
            )
        }

    def __init__(self, *args, project: Project, hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["indicators"].queryset = ValueIndicator.objects.filter(
            project=project, retired_at__isnull=True
        ).order_by("dimension", "name")
        if hidden:
            # The preview carries what was typed to the publish button, unseen.
            for name, field in self.fields.items():
                field.widget = (
                    forms.MultipleHiddenInput() if name == "indicators" else forms.HiddenInput()
                )

    def publication_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UnpublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
