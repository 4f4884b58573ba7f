"""The innovation partnership over the API: phases (with their budget ceilings, interim
targets and gate decisions) and instalments, read-only, scoped by the same rules as the pages
(``partnership.querysets``: a partner reads its own ceilings, targets, outcomes and
instalments only) and narrowed by the dashboard's filters (which select the projects)."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from clinics.models import User
from insights.selectors.dashboard import PortfolioFilters, portfolio_projects
from partnership.models import (
    GateDecision,
    GateOutcome,
    Instalment,
    InterimTarget,
    Phase,
    PhaseBudget,
)
from partnership.progress import phases_with_progress
from partnership.querysets import own_organisation_id

from .progress import ProgressSerializer, progress_data
from .views import BAD_FILTER, FILTER_PARAMETERS, _FilteredViewSet


# --- Reads ---------------------------------------------------------------------------------------
def _of_filtered_projects(rows, user, filters, path):
    if filters.is_empty:
        return rows
    projects = portfolio_projects(user=user, filters=filters).values("pk")
    return rows.filter(**{f"{path}__in": projects})


def phases_for(user: User, filters: PortfolioFilters) -> QuerySet[Phase]:
    outcomes = GateOutcome.objects.select_related("organisation").order_by("organisation__name")
    if user.is_partner:
        outcomes = outcomes.filter(organisation=own_organisation_id(user))
    phases = _of_filtered_projects(
        Phase.objects.visible_to(user), user, filters, "agreement__project"
    )
    return (
        phases_with_progress(phases)
        .select_related("agreement")
        .prefetch_related(
            Prefetch(
                "budgets",
                queryset=PhaseBudget.objects.visible_to(user).order_by("organisation__name"),
                to_attr="visible_budgets",
            ),
            Prefetch(
                "targets",
                queryset=InterimTarget.objects.visible_to(user).prefetch_related(
                    "milestones", "indicators"
                ),
                to_attr="visible_targets",
            ),
            Prefetch(
                "gate_decisions",
                queryset=GateDecision.objects.visible_to(user)
                .select_related("corrects")
                .prefetch_related(Prefetch("outcomes", queryset=outcomes, to_attr="visible")),
                to_attr="visible_decisions",
            ),
        )
        .order_by("agreement__project", "agreement", "number", "pk")
    )


def instalments_for(user: User, filters: PortfolioFilters) -> QuerySet[Instalment]:
    instalments = _of_filtered_projects(
        Instalment.objects.visible_to(user), user, filters, "phase__agreement__project"
    )
    return instalments.select_related("phase__agreement").order_by("phase", "planned_on", "pk")


# --- Serializers ---------------------------------------------------------------------------------
class PhaseBudgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhaseBudget
        fields = ["organisation", "ceiling"]
        read_only_fields = fields


class InterimTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterimTarget
        fields = [
            "id",
            "organisation",
            "description",
            "due_on",
            "performance_level",
            "milestones",
            "indicators",
            "status",
            "assessed_by",
            "assessed_at",
        ]
        read_only_fields = fields


class GateOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = GateOutcome
        fields = ["organisation", "outcome", "note"]
        read_only_fields = fields


class GateDecisionSerializer(serializers.ModelSerializer):
    outcomes = GateOutcomeSerializer(
        source="visible",
        many=True,
        read_only=True,
        help_text="Per partner: a partner user reads its own outcome only.",
    )
    evidence = serializers.SerializerMethodField(
        help_text="The targets (met or not) and measured indicators at decision time, as far "
        "as the reader may see the targets."
    )

    class Meta:
        model = GateDecision
        fields = ["id", "note", "decided_by", "decided_at", "corrects", "outcomes", "evidence"]
        read_only_fields = fields

    def get_evidence(self, decision) -> list[dict]:
        visible = self.context.get("visible_target_ids")
        targets = decision.evidence.get("targets", [])
        shown = [t for t in targets if visible is None or t.get("id") in visible]
        if self.context.get("hide_indicators"):
            # As on the pages: partners read whether targets were met, not the region's
            # measured values.
            shown = [{**t, "indicators": []} for t in shown]
        return shown


class PhaseSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="agreement.project_id", read_only=True)
    budgets = PhaseBudgetSerializer(source="visible_budgets", many=True, read_only=True)
    targets = InterimTargetSerializer(source="visible_targets", many=True, read_only=True)
    gate_decisions = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(
        help_text="The phase's progress in its project's mode, with what has no progress."
    )

    class Meta:
        model = Phase
        fields = [
            "id",
            "project",
            "agreement",
            "number",
            "name",
            "starts_on",
            "ends_on",
            "currency",
            "version",
            "budgets",
            "targets",
            "gate_decisions",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, phase) -> dict:
        return progress_data(phase)

    @extend_schema_field(GateDecisionSerializer(many=True))
    def get_gate_decisions(self, phase) -> list[dict]:
        request = self.context.get("request")
        context = {
            "visible_target_ids": {t.pk for t in phase.visible_targets},
            "hide_indicators": request is not None and request.user.is_partner,
        }
        return GateDecisionSerializer(phase.visible_decisions, many=True, context=context).data


class InstalmentSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="phase.agreement.project_id", read_only=True)

    class Meta:
        model = Instalment
        fields = [
            "id",
            "project",
            "phase",
            "target",
            "organisation",
            "amount",
            "planned_on",
            "status",
            "approved_at",
            "paid_on",
            "version",
        ]
        read_only_fields = fields


# --- Endpoints -----------------------------------------------------------------------------------
@extend_schema(tags=["partnership"])
class PhaseViewSet(_FilteredViewSet):
    """Phases of the innovation partnerships you may read, with budget ceilings, interim
    targets and gate decisions (partners: their own ceilings, targets, outcomes); the filters
    select their projects."""

    serializer_class = PhaseSerializer
    selector = staticmethod(phases_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["partnership"])
class InstalmentViewSet(_FilteredViewSet):
    """Instalments from the region to the partners (partners: their own); the filters select
    their projects."""

    serializer_class = InstalmentSerializer
    selector = staticmethod(instalments_for)

    @extend_schema(parameters=FILTER_PARAMETERS, responses={400: BAD_FILTER})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
