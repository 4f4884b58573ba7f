from django import forms
from django.utils.translation import gettext_lazy as _

from insights.selectors.dashboard import PortfolioFilters
from portfolio.models import Project, Theme


class PortfolioFilterForm(forms.Form):
    """The dashboard's filters: a GET form, so a filtered view can be bookmarked and shared."""

    # Named for what it searches: the menu bar's search of the whole site is "Search".
    q = forms.CharField(
        label=_("Search projects"),
        required=False,
        max_length=200,
        help_text=_("Words in a project's title or summary."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("Regions you lead."),
    )
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("The project's lead clinic."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All")), *Project.Stage.choices],
        help_text=_("Where the project is."),
    )
    health = forms.ChoiceField(
        label=_("Health"),
        required=False,
        choices=[("", _("All")), *Project.Health.choices],
        help_text=_("On track, at risk or off track."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.none(),
        empty_label=_("All"),
        help_text=_("The portfolio theme."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=None,
        empty_label=_("All"),
        help_text=_("A party to one of the project's agreements."),
    )

    def __init__(self, *args, regions, clinics, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["clinic"].queryset = clinics
        self.fields["partner"].queryset = partners
        # The shared themes and the led regions' own (archived ones are no longer offered).
        self.fields["theme"].queryset = Theme.objects.for_regions(regions).order_by("name")

    def filters(self) -> PortfolioFilters:
        """The valid filters; a value that is not valid (e.g. a clinic one does not lead) is
        left out and reported next to its field."""
        if not self.is_bound:
            return PortfolioFilters()
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors and value not in (None, "")
        }
        if "q" in data:
            data["q"] = data["q"].strip()
        return PortfolioFilters(**data)


class SearchForm(forms.Form):
    """The site's search box: a GET form, so a search can be bookmarked and shared. The kind
    of results to page through (``?kind=``) is a link of the results, not a field: an unknown
    one shows every kind."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=200,
        help_text=_("Words in a title, a description or a name, at least two letters."),
    )
