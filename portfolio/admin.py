from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin

from .models import (
    Challenge,
    DigestDelivery,
    DigestPreference,
    Idea,
    IdeaAttachment,
    IdeaQuestion,
    IdeaStatusChange,
    InnovationTime,
    Project,
    Review,
    StageChange,
    StatusUpdate,
    Theme,
    ValueIndicator,
    ValueMeasurement,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "clinic", "closes_on", "open_to_partners"]
    list_filter = ["region", "open_to_partners"]
    search_fields = ["title"]
    raw_id_fields = ["posted_by"]


class IdeaStatusChangeInline(admin.TabularInline):
    model = IdeaStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "note", "created_at"]
    can_delete = False


class IdeaAttachmentInline(admin.TabularInline):
    model = IdeaAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by"]


class IdeaQuestionInline(admin.StackedInline):
    model = IdeaQuestion
    extra = 0
    raw_id_fields = ["asked_by"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "clinic", "submitter", "status", "submitted_at"]
    list_filter = ["status", "clinic__region", "clinic"]
    list_select_related = ["clinic", "submitter"]
    search_fields = ["title", "problem"]
    raw_id_fields = ["submitter", "assigned_leader", "merged_into", "challenge"]
    inlines = [IdeaQuestionInline, IdeaAttachmentInline, IdeaStatusChangeInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyHistoryAdmin):
    list_display = ["idea", "reviewer", "recommendation", "created_at"]
    list_filter = ["recommendation"]
    raw_id_fields = ["idea", "reviewer"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "decided_by", "note", "created_at"]
    can_delete = False


class ValueIndicatorInline(admin.TabularInline):
    model = ValueIndicator
    extra = 0
    readonly_fields = ["latest_value", "latest_measured_on"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "lead_clinic", "owner", "stage", "health"]
    list_filter = ["stage", "health", "lead_clinic__region", "themes"]
    list_select_related = ["lead_clinic", "owner"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["idea", "owner"]
    filter_horizontal = ["other_clinics", "themes"]
    inlines = [ValueIndicatorInline, StageChangeInline]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = ["project", "health", "author", "created_at"]
    list_filter = ["health"]
    raw_id_fields = ["project", "author"]


@admin.register(ValueIndicator)
class ValueIndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "dimension", "baseline", "target", "latest_value"]
    list_filter = ["dimension"]
    raw_id_fields = ["project"]


@admin.register(ValueMeasurement)
class ValueMeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "value", "measured_on", "recorded_by"]
    raw_id_fields = ["indicator", "recorded_by"]


@admin.register(InnovationTime)
class InnovationTimeAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "week", "hours"]
    raw_id_fields = ["project", "person"]


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_display = ["leader", "frequency", "language", "send_when_empty", "updated_at"]
    list_filter = ["frequency", "language"]
    list_select_related = ["leader"]
    search_fields = ["leader__username", "leader__email"]
    raw_id_fields = ["leader"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """Delivery records are evidence of what was sent: read-only, also for administrators."""

    list_display = ["leader", "period_end", "status", "attempts", "sent_at", "item_count"]
    list_filter = ["status"]
    list_select_related = ["leader"]
    search_fields = ["leader__username", "recipient"]
    date_hierarchy = "period_end"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
