"""Contributions planned and actual over the API, read-only: one list of both (``record``
says which), scoped like the pages (``Contribution.objects.visible_to``: a partner reads its
own party's only) and narrowed by the dashboard's filters (which select the projects)."""

from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers

from clinics.models import User
from insights.selectors.dashboard import PortfolioFilters
from partnership.models import Contribution

from .partnership import _of_filtered_projects
from .views import BAD_FILTER, FILTER_PARAMETERS, _FilteredViewSet

CONTRIBUTION_PARAMETERS = [
    OpenApiParameter(
        "record",
        OpenApiTypes.STR,
        enum=list(Contribution.Record.values),
        description="Only the plan (planned) or only the actual contributions (actual).",
    ),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        enum=list(Contribution.Kind.values),
        description="Only contributions of this kind.",
    ),
]


class ContributionFilterForm(forms.Form):
    """``record`` and ``kind`` of the list; an unknown value is a 400 with Django's own
    (translated) "Select a valid choice" message, never an empty list."""

    record = forms.ChoiceField(choices=Contribution.Record.choices, required=False)
    kind = forms.ChoiceField(choices=Contribution.Kind.choices, required=False)


def contributions_filtered(rows: QuerySet[Contribution], query) -> QuerySet[Contribution]:
    form = ContributionFilterForm({key: query.get(key) for key in ("record", "kind")})
    if not form.is_valid():
        raise exceptions.ValidationError(
            {field: list(messages) for field, messages in form.errors.items()}
        )
    wanted = {key: value for key, value in form.cleaned_data.items() if value}
    return rows.filter(**wanted)


def contributions_for(user: User, filters: PortfolioFilters) -> QuerySet[Contribution]:
    rows = _of_filtered_projects(
        Contribution.objects.visible_to(user), user, filters, "party__agreement__project"
    )
    return rows.select_related("party__agreement").order_by("party__agreement", "party", "pk")


class ContributionSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="party.agreement.project_id", read_only=True)
    agreement = serializers.IntegerField(source="party.agreement_id", read_only=True)
    organisation = serializers.IntegerField(
        source="party.organisation_id",
        read_only=True,
        allow_null=True,
        help_text="The partner organisation; null for the region.",
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "project",
            "agreement",
            "organisation",
            "record",
            "kind",
            "contributed_on",
            "hours",
            "value",
            "currency",
            "note",
            "version",
        ]
        read_only_fields = fields


@extend_schema(tags=["partnership"])
class ContributionViewSet(_FilteredViewSet):
    """Contributions of the agreements' parties, planned (one per party and kind) and actual
    (dated), values as decimals with their currency (partners: their own party's); the
    filters select their projects; ``record`` and ``kind`` narrow the rows."""

    serializer_class = ContributionSerializer
    selector = staticmethod(contributions_for)

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action == "list" and not getattr(self, "swagger_fake_view", False):
            rows = contributions_filtered(rows, self.request.query_params)
        return rows

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, *CONTRIBUTION_PARAMETERS], responses={400: BAD_FILTER}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
