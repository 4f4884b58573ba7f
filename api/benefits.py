"""The benefits register over the API: read-only, the benefits (with their reviews) of the
projects one reads, by the pages' rules (``portfolio.access.benefits_can_read``: the region's
staff and leaders; partner users none, the values are the region's own accounts). Narrowed by
``project`` and by the dashboard's filters (which select the projects)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers

from clinics.access import access_for
from clinics.models import User
from insights.selectors.dashboard import PortfolioFilters, portfolio_projects
from portfolio.access import benefits_can_read
from portfolio.models import Benefit, BenefitReview, Project
from portfolio.selectors.benefits import benefits_of_projects

from . import selectors
from .views import BAD_FILTER, FILTER_PARAMETERS, _drf_error, _FilteredViewSet

PROJECT_PARAMETER = OpenApiParameter(
    "project",
    OpenApiTypes.INT,
    description="A project's id: its benefits only (none of a project you may not open).",
)


def benefits_for(
    user: User, filters: PortfolioFilters, project: int | None = None
) -> QuerySet[Benefit]:
    """The benefits of the projects ``user`` reads (none for partner users), narrowed to
    ``project`` and the dashboard's ``filters``: three queries for a page."""
    if not benefits_can_read(access_for(user)):
        return Benefit.objects.none()
    if filters.is_empty:
        projects = Project.objects.visible_to(user)
    else:
        projects = portfolio_projects(user=user, filters=filters)
    if project is not None:
        projects = projects.filter(pk=project)
    return benefits_of_projects(projects.values("pk"))


class BenefitReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = BenefitReview
        fields = ["id", "reviewed_on", "realised_yearly_amount", "note", "recorded_by"]
        read_only_fields = fields


class BenefitSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    realised_yearly_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The value realised per year at the latest review, in the benefit's currency.",
    )
    last_reviewed_on = serializers.DateField(read_only=True, allow_null=True)
    follow_up_until = serializers.SerializerMethodField(
        help_text="The end of the follow-up period: the agreed months after the project ended "
        "(empty while it runs)."
    )
    reviews = BenefitReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Benefit
        fields = [
            "id",
            "project",
            "project_title",
            "title",
            "description",
            "dimension",
            "cash_releasing",
            "owner",
            "owner_name",
            "expected_yearly_amount",
            "currency",
            "follow_up_months",
            "follow_up_until",
            "next_review_on",
            "realised_yearly_amount",
            "last_reviewed_on",
            "reviews",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_follow_up_until(self, benefit):
        return benefit.follow_up_until(benefit.project.ended_on)


def _project_parameter(query) -> int | None:
    """The ``project`` filter: a database id (a bad or out-of-range one is a 400 that says so)."""
    raw = query.get("project")
    if raw in (None, ""):
        return None
    field = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    try:
        return field.clean(raw)
    except ValidationError as error:
        raise _drf_error(ValidationError({"project": error.messages})) from error


@extend_schema(tags=["portfolio"])
class BenefitViewSet(_FilteredViewSet):
    """The benefits register (expected and realised value per year, owner, reviews) of the
    projects you may open: staff and leaders by the pages' rules, partners none. ``project``
    and the dashboard's filters select the projects."""

    serializer_class = BenefitSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Benefit.objects.none()
        if self.action != "list":
            return benefits_for(self.request.user, PortfolioFilters())
        query = self.request.query_params
        try:
            filters = selectors.filters_from_query(self.request.user, query)
        except ValidationError as error:
            raise _drf_error(error) from error
        return benefits_for(self.request.user, filters, _project_parameter(query))

    @extend_schema(parameters=[PROJECT_PARAMETER, *FILTER_PARAMETERS], responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
