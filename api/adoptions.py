"""Adoptions across clinics over the API: read-only, scoped by the same rule as the pages
(whoever may open the project reads its adoptions), filtered by project, clinic and status."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets

from evidence.models import Adoption

ADOPTION_FILTERS = [
    OpenApiParameter("project", OpenApiTypes.INT, description="A project's id."),
    OpenApiParameter("clinic", OpenApiTypes.INT, description="The adopting clinic's id."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(Adoption.Status.values)),
]


class AdoptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Adoption
        fields = [
            "id",
            "project",
            "clinic",
            "status",
            "planned_start_on",
            "started_on",
            "adopted_on",
            "abandoned_on",
            "abandon_reason",
            "version",
        ]
        read_only_fields = fields


def _id(params, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise exceptions.ValidationError({name: ["Give a whole number id."]})
    return number


@extend_schema(tags=["evidence"])
class AdoptionViewSet(viewsets.ReadOnlyModelViewSet):
    """Adoptions of the projects you may open (one per project and adopting clinic; the
    project's lead clinic is its pilot and has none), filtered by project, clinic, status."""

    serializer_class = AdoptionSerializer

    def get_queryset(self) -> QuerySet[Adoption]:
        if getattr(self, "swagger_fake_view", False):
            return Adoption.objects.none()
        adoptions = Adoption.objects.visible_to(self.request.user).order_by("project", "pk")
        if self.action != "list":
            return adoptions
        params = self.request.query_params
        project, clinic = _id(params, "project"), _id(params, "clinic")
        status = params.get("status")
        if project:
            adoptions = adoptions.filter(project=project)
        if clinic:
            adoptions = adoptions.filter(clinic=clinic)
        if status:
            if status not in Adoption.Status.values:
                raise exceptions.ValidationError({"status": ["Not a status of an adoption."]})
            adoptions = adoptions.filter(status=status)
        return adoptions

    @extend_schema(
        parameters=ADOPTION_FILTERS,
        responses={
            200: AdoptionSerializer(many=True),
            400: OpenApiResponse(description="A filter value that is not valid."),
        },
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
