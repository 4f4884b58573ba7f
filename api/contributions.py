"""Contributions planned and actual over the API, read-only: one list of both (``record``
says which), scoped like the pages (``Contribution.objects.visible_to``: a partner reads its
own party's only) and narrowed by the dashboard's filters (which select the projects)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from clinics.models import User
from insights.selectors.dashboard import PortfolioFilters
from partnership.models import Contribution

from .partnership import _of_filtered_projects
from .views import BAD_FILTER, FILTER_PARAMETERS, _FilteredViewSet


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
    filters select their projects."""

    serializer_class = ContributionSerializer
    selector = staticmethod(contributions_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
