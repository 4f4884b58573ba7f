"""Co-sharing over the API: every kept result (the measurement it came from, the rule's
inputs as they were, the steps) with each party's share, read-only. Scoped by the same rules
as the agreement page (``partnership.cosharing_querysets``: a partner reads the results of its
agreements and its own party's share only), narrowed by the dashboard's filters (which select
the projects) and by agreement, project and indicator."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers

from clinics.models import User
from insights.selectors.dashboard import PortfolioFilters
from partnership.models import SharingResult, SharingResultShare

from .partnership import _of_filtered_projects
from .views import BAD_FILTER, FILTER_PARAMETERS, _FilteredViewSet

# Query parameter → the lookup it narrows by.
ID_FILTERS = {
    "agreement": "rule__agreement",
    "project": "rule__agreement__project",
    "indicator": "rule__indicator",
}
ID_PARAMETERS = [
    OpenApiParameter("agreement", OpenApiTypes.INT, description="An agreement's id."),
    OpenApiParameter("project", OpenApiTypes.INT, description="A project's id."),
    OpenApiParameter("indicator", OpenApiTypes.INT, description="A value indicator's id."),
]


def sharing_results_for(user: User, filters: PortfolioFilters) -> QuerySet[SharingResult]:
    results = _of_filtered_projects(
        SharingResult.objects.visible_to(user), user, filters, "rule__agreement__project"
    )
    shares = SharingResultShare.objects.visible_to(user).order_by("organisation__name")
    return (
        results.select_related("rule__agreement", "rule__indicator")
        .prefetch_related(Prefetch("shares", queryset=shares, to_attr="visible_shares"))
        .order_by("rule__agreement__project", "rule", "-measured_on", "-pk")
    )


class SharingResultShareSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(
        source="organisation_id",
        allow_null=True,
        read_only=True,
        help_text="The partner organisation's id; null for the region.",
    )

    class Meta:
        model = SharingResultShare
        fields = ["organisation", "gain_share", "cost_share", "gain_amount", "cost_amount", "steps"]
        read_only_fields = fields


class SharingResultSerializer(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="rule.agreement_id", read_only=True)
    project = serializers.IntegerField(source="rule.agreement.project_id", read_only=True)
    indicator = serializers.IntegerField(source="rule.indicator_id", read_only=True)
    shares = SharingResultShareSerializer(
        source="visible_shares",
        many=True,
        read_only=True,
        help_text="Per party: a partner user reads its own share only.",
    )

    class Meta:
        model = SharingResult
        fields = [
            "id",
            "rule",
            "rule_version",
            "agreement",
            "project",
            "indicator",
            "measurement",
            "measured_on",
            "measured_value",
            "baseline",
            "direction",
            "floor",
            "ceiling",
            "improvement",
            "band",
            "position",
            "currency",
            "cost_amount",
            "gain_amount",
            "steps",
            "computed_at",
            "shares",
        ]
        read_only_fields = fields


@extend_schema(tags=["partnership"])
class SharingResultViewSet(_FilteredViewSet):
    """Computed co-sharing results (each party's share of the cost and the gain, from one
    measurement of a sharing indicator, with the inputs and the arithmetic step by step), newest
    first per rule. Partners: the results of their agreements, their own share only."""

    serializer_class = SharingResultSerializer
    selector = staticmethod(sharing_results_for)

    def get_queryset(self):
        results = super().get_queryset()
        if self.action != "list" or getattr(self, "swagger_fake_view", False):
            return results
        narrowed = {}
        for name, lookup in ID_FILTERS.items():
            value = self.request.query_params.get(name)
            if value in (None, ""):
                continue
            if not value.isascii() or not value.isdigit() or len(value) > 18:
                raise exceptions.ValidationError({name: ["Enter a whole number."]})
            narrowed[lookup] = int(value)
        return results.filter(**narrowed)

    @extend_schema(parameters=[*FILTER_PARAMETERS, *ID_PARAMETERS], responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
