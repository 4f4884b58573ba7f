"""What the API shows of each object: the fields its web page shows to the same person."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinics.models import Clinic, Region
from partners.models import Agreement, AgreementParty, Milestone
from portfolio.models import Idea, InnovationTime, Project, Theme, ValueIndicator

from .languages import request_language
from .progress import ProgressSerializer, progress_data


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "slug", "language", "time_zone"]


class ClinicSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "region",
            "region_name",
            "innovation_clinic_since",
        ]
        read_only_fields = fields


class ThemeNamesSerializer(serializers.Serializer):
    sv = serializers.CharField(source="name_sv", help_text="The name in Swedish; may be empty.")
    da = serializers.CharField(source="name_da", help_text="The name in Danish; may be empty.")
    en = serializers.CharField(source="name_en", help_text="The name in English; may be empty.")


class ThemeSerializer(serializers.ModelSerializer):
    """A portfolio theme: its name in the request's language (``?lang=``, else
    ``Accept-Language``, else the account's), falling back to its own name, and every name."""

    name = serializers.SerializerMethodField(
        help_text="The name in the request's language; the theme's own name if it has none."
    )
    names = ThemeNamesSerializer(source="*", read_only=True)

    class Meta:
        model = Theme
        fields = ["id", "slug", "name", "names"]
        read_only_fields = fields

    def get_name(self, theme) -> str:
        return Theme.localized(
            {
                "name": theme.name,
                "name_sv": theme.name_sv,
                "name_da": theme.name_da,
                "name_en": theme.name_en,
            },
            request_language(self.context.get("request")),
        )


class ValueIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValueIndicator
        fields = [
            "id",
            "dimension",
            "name",
            "unit",
            "baseline",
            "target",
            "latest_value",
            "latest_measured_on",
            "direction",
            "frequency",
            "retired_at",
        ]
        read_only_fields = fields


class BudgetSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    lead_clinic_name = serializers.CharField(source="lead_clinic.name", read_only=True)
    region = serializers.IntegerField(source="lead_clinic.region_id", read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    # ``themes`` stays the list of slugs that clients already read; the names come beside it.
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    theme_details = ThemeSerializer(
        source="themes",
        many=True,
        read_only=True,
        help_text="The themes with their name in the request's language and every name.",
    )
    value_indicators = serializers.SerializerMethodField(
        help_text="Null for partner users: the value indicators are the region's own. A retired "
        "indicator keeps its values and has `retired_at` set."
    )
    budget = serializers.SerializerMethodField(
        help_text="The planned budget; null when none is set, and for partner users."
    )
    progress = serializers.SerializerMethodField(
        help_text="The progress roll-up in the project's mode, with what has no progress."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "summary",
            "stage",
            "health",
            "lead_clinic",
            "lead_clinic_name",
            "region",
            "other_clinics",
            "owner_name",
            "themes",
            "theme_details",
            "value_indicators",
            "started_on",
            "ended_on",
            "planned_start_on",
            "planned_end_on",
            "budget",
            "updated_at",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, project) -> dict:
        return progress_data(project)

    @extend_schema_field(BudgetSerializer(allow_null=True))
    def get_budget(self, project):
        request = self.context.get("request")
        if request is None or request.user.is_partner or project.budget_amount is None:
            return None
        return BudgetSerializer(
            {"amount": project.budget_amount, "currency": project.budget_currency}
        ).data

    @extend_schema_field(ValueIndicatorSerializer(many=True, allow_null=True))
    def get_value_indicators(self, project):
        request = self.context.get("request")
        if request is None or request.user.is_partner:
            return None
        return ValueIndicatorSerializer(project.value_indicators.all(), many=True).data


class MilestoneSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    responsible_party_name = serializers.CharField(
        source="responsible_party.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "project_title",
            "title",
            "description",
            "responsible_party",
            "responsible_party_name",
            "due_on",
            "status",
            "progress",
            "completed_on",
            "confirmed_at",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class MilestoneProgressSerializer(serializers.Serializer):
    """A progress report: the same rules as the web form (``milestone_update``)."""

    version = serializers.IntegerField(
        min_value=1, help_text="The milestone's version you read; a stale one answers 409."
    )
    status = serializers.ChoiceField(choices=Milestone.Status.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class MilestoneConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = MilestoneSerializer()


class AgreementPartySerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(read_only=True)

    class Meta:
        model = AgreementParty
        fields = [
            "id",
            "organisation",
            "party_name",
            "contribution_hours",
            "contribution_money",
            "contribution_knowledge",
            "contribution_in_kind",
            "risk_share",
            "value_share",
            "responsibilities",
            "confirmed_at",
        ]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    parties = AgreementPartySerializer(many=True, read_only=True)
    current = serializers.BooleanField(
        source="is_current",
        read_only=True,
        help_text="The current version: the newest one that has left draft. Its parties are "
        "the project's partners; a draft is never current.",
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "project",
            "title",
            "version",
            "previous_version",
            "current",
            "status",
            "responsibilities",
            "starts_on",
            "ends_on",
            "proposed_at",
            "signed_at",
            "parties",
        ]
        read_only_fields = fields


class IdeaSerializer(serializers.ModelSerializer):
    clinic_name = serializers.CharField(source="clinic.name", read_only=True)
    submitter_name = serializers.CharField(source="submitter.__str__", read_only=True)
    # ``themes`` stays the list of slugs that clients already read; the names come beside it.
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    theme_details = ThemeSerializer(
        source="themes",
        many=True,
        read_only=True,
        help_text="The themes with their name in the request's language and every name.",
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "title",
            "problem",
            "proposal",
            "benefit_patients",
            "benefit_staff",
            "benefit_economy",
            "clinic",
            "clinic_name",
            "challenge",
            "themes",
            "theme_details",
            "submitter_name",
            "status",
            "submitted_at",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    context = serializers.CharField()
    url = serializers.CharField(help_text="The web page that shows it.")


class SearchKindSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    count = serializers.IntegerField(help_text="All matches of this kind you may open.")
    hits = SearchHitSerializer(many=True, help_text="The best five.")


class SearchResultsSerializer(serializers.Serializer):
    q = serializers.CharField()
    results = SearchKindSerializer(many=True)


class InnovationTimeSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    clinic = serializers.IntegerField(
        read_only=True,
        help_text="Whose time it is: the person's clinic, else the project's lead clinic.",
    )

    class Meta:
        model = InnovationTime
        fields = [
            "id",
            "project",
            "project_title",
            "person_name",
            "clinic",
            "week",
            "hours",
            "version",
            "updated_at",
        ]
        read_only_fields = fields
