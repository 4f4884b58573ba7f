"""The REST API's endpoints: thin views over the API's selectors and the apps' services.

Every object comes through a ``visible_to`` query set, so "not yours" answers 404 like
"missing", exactly as the web pages do.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from insights.forms import SearchForm
from insights.selectors.search import MIN_QUERY_LENGTH, search_counts, search_preview
from partners.models import Milestone
from partners.services.milestones import MilestoneConflict, milestone_update
from portfolio.models import Project

from . import selectors
from .languages import LANG_PARAMETER
from .serializers import (
    AgreementSerializer,
    ClinicSerializer,
    IdeaSerializer,
    InnovationTimeSerializer,
    MilestoneConflictSerializer,
    MilestoneProgressSerializer,
    MilestoneSerializer,
    ProjectSerializer,
    RegionSerializer,
    SearchResultsSerializer,
)

FILTER_PARAMETERS = [
    OpenApiParameter("region", OpenApiTypes.INT, description="A region's id."),
    OpenApiParameter("clinic", OpenApiTypes.INT, description="The project's lead clinic's id."),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=list(Project.Stage.values)),
    OpenApiParameter("health", OpenApiTypes.STR, enum=list(Project.Health.values)),
    OpenApiParameter("theme", OpenApiTypes.INT, description="A theme's id."),
    OpenApiParameter("partner", OpenApiTypes.INT, description="A partner organisation's id."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or summary."),
]
BAD_FILTER = OpenApiResponse(description="A filter value that is not valid or not yours.")


def _drf_error(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class _FilteredViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail, narrowed by the dashboard's filters on the list."""

    selector = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # drf-spectacular inspects the view without a real user.
            return self.serializer_class.Meta.model.objects.none()
        if self.action == "list":
            try:
                filters = selectors.filters_from_query(self.request.user, self.request.query_params)
            except ValidationError as error:
                raise _drf_error(error) from error
        else:
            filters = selectors.PortfolioFilters()
        return type(self).selector(self.request.user, filters)


@extend_schema(tags=["portfolio"])
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions of the clinics you may open."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        return selectors.regions_for(self.request.user)


@extend_schema(tags=["portfolio"])
class ClinicViewSet(viewsets.ReadOnlyModelViewSet):
    """Clinics you may open: a leader's clinics, a staff member's own."""

    serializer_class = ClinicSerializer

    def get_queryset(self):
        return selectors.clinics_for(self.request.user)


@extend_schema(tags=["portfolio"], parameters=[LANG_PARAMETER])
class ProjectViewSet(_FilteredViewSet):
    """Projects with stage, health, themes and value indicators."""

    serializer_class = ProjectSerializer
    selector = staticmethod(selectors.projects_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["partners"])
class MilestoneViewSet(_FilteredViewSet):
    """Milestones of the projects you may open; the filters select their projects."""

    serializer_class = MilestoneSerializer
    selector = staticmethod(selectors.milestones_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=MilestoneProgressSerializer,
        responses={
            200: MilestoneSerializer,
            400: OpenApiResponse(description="Input the web form would refuse too."),
            403: OpenApiResponse(description="You may read this milestone but not update it."),
            404: OpenApiResponse(description="No such milestone, or not yours."),
            409: MilestoneConflictSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Report progress (status, progress, comment), as on the milestone's page.

        Send the ``version`` you read: if someone saved the milestone since, nothing is written
        and the answer is 409 with the milestone as it is now.
        """
        milestone = self.get_object()
        report = MilestoneProgressSerializer(data=request.data)
        report.is_valid(raise_exception=True)
        data = report.validated_data
        try:
            milestone_update(
                milestone=milestone,
                actor=request.user,
                expected_version=data["version"],
                status=data["status"],
                progress=data["progress"],
                comment=data["comment"],
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        except MilestoneConflict as conflict:
            body = {
                "detail": "Someone else saved this milestone since you read it; nothing was "
                "written. Here is its current state.",
                "current": MilestoneSerializer(conflict.milestone).data,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            raise _drf_error(error) from error
        current = Milestone.objects.select_related("project", "responsible_party").get(
            pk=milestone.pk
        )
        return Response(MilestoneSerializer(current).data)


@extend_schema(tags=["partners"])
class AgreementViewSet(_FilteredViewSet):
    """Agreements with their parties (partners: the proposed and signed ones they are party
    to); the filters select their projects."""

    serializer_class = AgreementSerializer
    selector = staticmethod(selectors.agreements_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["portfolio"], parameters=[LANG_PARAMETER])
class IdeaViewSet(_FilteredViewSet):
    """Ideas you may read: your own (staff), the submitted ideas of your clinics (leaders).
    Of the filters, region, clinic, theme and q apply."""

    serializer_class = IdeaSerializer
    selector = staticmethod(selectors.ideas_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(
    tags=["search"],
    parameters=[
        OpenApiParameter(
            "q", OpenApiTypes.STR, required=True, description="At least two characters."
        )
    ],
    responses={
        200: SearchResultsSerializer,
        400: OpenApiResponse(
            description="No query, one of fewer than two or more than 200 "
            "characters, or one with a NUL character."
        ),
    },
)
class SearchView(APIView):
    """The site's search (``/search/``): ideas, projects, challenges, partner organisations and
    milestones you may open, with each kind's count and its best five (plain-text titles,
    the web page's address). Kinds you have no page for are left out."""

    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        q = form.cleaned_data["q"]
        if len(q) < MIN_QUERY_LENGTH:
            raise exceptions.ValidationError({"q": [f"At least {MIN_QUERY_LENGTH} characters."]})
        results = search_counts(user=request.user, q=q)
        search_preview(results, user=request.user, q=q)
        return Response(SearchResultsSerializer({"q": q, "results": results}).data)


@extend_schema(tags=["portfolio"])
class InnovationTimeViewSet(_FilteredViewSet):
    """Innovation time (hours per person, project and week, the week given by its Monday):
    leaders read their clinics' people's and their projects', staff their own, partners none.
    The filters select their projects."""

    serializer_class = InnovationTimeSerializer
    selector = staticmethod(selectors.innovation_time_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our static files (drf-spectacular-sidecar), its start script from a
    URL of its own and no inline style: the page satisfies the site's CSP unchanged."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
