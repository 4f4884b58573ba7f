from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyHistoryAdmin
from core.admin_lifecycle import LifecycleAdminMixin

from .forms.projects import StageChangeForm, StatusUpdateForm
from .forms.review import AcceptForm, DeclineForm, MergeForm
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
    ProjectMember,
    Review,
    StageChange,
    StatusUpdate,
    Theme,
    ValueIndicator,
    ValueMeasurement,
    gate_criteria_keys,
)
from .services.ideas import idea_withdraw_on_behalf
from .services.projects import project_change_stage, status_update_post
from .services.reviews import idea_accept, idea_decline, idea_merge


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_sv", "name_da", "name_en", "region", "is_active", "slug"]
    list_filter = ["region", "is_active"]
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

    def has_add_permission(self, request, obj=None):
        # The timeline is written by idea_transition, one row per status change.
        return False


class IdeaAttachmentInline(admin.TabularInline):
    model = IdeaAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by"]


class IdeaQuestionInline(admin.StackedInline):
    """Questions are asked and answered on the pages (idea_question_ask, the submitter's
    answer); the question's wording stays editable, e.g. to remove personal data by hand."""

    model = IdeaQuestion
    extra = 0
    readonly_fields = ["asked_by", "answer", "answered_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class IdeaWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the idea's timeline; the submitter and the assigned leader are told."),
    )


class IdeaAcceptForm(AcceptForm):
    # One title for several ideas would name every project alike: each keeps its idea's title.
    title = None


class IdeaMergeForm(MergeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(
            *args,
            targets=Idea.objects.exclude(
                status__in=[
                    Idea.Status.DRAFT,
                    Idea.Status.WITHDRAWN,
                    Idea.Status.MERGED,
                    Idea.Status.DECLINED,
                ]
            ),
            **kwargs,
        )
        # An id with a lookup, not a list of every open idea of every region.
        self.fields["into"].widget = ForeignKeyRawIdWidget(
            Idea._meta.get_field("merged_into").remote_field, admin.site
        )


@admin.register(Idea)
class IdeaAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    """The status and everything that moves with it change only through the actions, which
    call the services of the review page (accept, decline, merge) and an administrator's
    withdrawal: the timeline, the first-response time and the notifications stay right."""

    list_display = ["title", "clinic", "submitter", "status", "submitted_at"]
    list_filter = ["status", "clinic__region", "clinic"]
    list_select_related = ["clinic", "submitter"]
    search_fields = ["title", "problem"]
    raw_id_fields = ["submitter", "challenge"]
    readonly_fields = [
        "status",
        "assigned_leader",
        "submitted_at",
        "first_response_at",
        "decided_at",
        "decline_reason",
        "merged_into",
    ]
    inlines = [IdeaQuestionInline, IdeaAttachmentInline, IdeaStatusChangeInline]
    actions = ["accept_ideas", "decline_ideas", "merge_ideas", "withdraw_ideas"]
    lifecycle_help = _(
        "The status changes only through the actions on the list of ideas (accept, decline, "
        "merge, withdraw), so the timeline and the notifications stay right. Ideas are never "
        "deleted: withdraw or decline them instead."
    )

    def _idea_action(self, request, queryset, *, action, title, form_class, perform, **kwargs):
        return self.lifecycle_action(
            request,
            queryset.select_related("submitter"),
            action=action,
            title=str(title),
            form_class=form_class,
            perform=perform,
            state=lambda idea: idea.get_status_display(),
            **kwargs,
        )

    @admin.action(description=_("Accept the idea (start a project)"), permissions=["lifecycle"])
    def accept_ideas(self, request, queryset):
        return self._idea_action(
            request,
            queryset,
            action="accept_ideas",
            title=_("Accept the idea (start a project)"),
            form_class=IdeaAcceptForm,
            perform=lambda idea, data, seen: idea_accept(
                idea=idea, actor=request.user, note=data["note"]
            ),
            help_text=_(
                "Each idea becomes a project in the concept stage, led by the idea's clinic. "
                "You become the owner of the new projects: hand them to a leader on the "
                "project's page."
            ),
        )

    @admin.action(description=_("Decline the idea"), permissions=["lifecycle"])
    def decline_ideas(self, request, queryset):
        return self._idea_action(
            request,
            queryset,
            action="decline_ideas",
            title=_("Decline the idea"),
            form_class=DeclineForm,
            perform=lambda idea, data, seen: idea_decline(
                idea=idea, actor=request.user, reason=data["reason"]
            ),
        )

    @admin.action(description=_("Merge into another idea"), permissions=["lifecycle"])
    def merge_ideas(self, request, queryset):
        return self._idea_action(
            request,
            queryset,
            action="merge_ideas",
            title=_("Merge into another idea"),
            form_class=IdeaMergeForm,
            perform=lambda idea, data, seen: idea_merge(
                idea=idea, into=data["into"], actor=request.user, note=data["note"]
            ),
        )

    @admin.action(description=_("Withdraw the idea"), permissions=["lifecycle"])
    def withdraw_ideas(self, request, queryset):
        return self._idea_action(
            request,
            queryset,
            action="withdraw_ideas",
            title=_("Withdraw the idea"),
            form_class=IdeaWithdrawForm,
            perform=lambda idea, data, seen: idea_withdraw_on_behalf(
                idea=idea, actor=request.user, note=data["note"]
            ),
        )


@admin.register(Review)
class ReviewAdmin(LifecycleAdminMixin, ReadOnlyHistoryAdmin):
    """A leader's scores, written by review_save: read only, never deleted. The comment stays
    editable (its history is kept), e.g. to remove personal data by hand."""

    list_display = ["idea", "reviewer", "recommendation", "created_at"]
    list_filter = ["recommendation"]
    readonly_fields = ["idea", "reviewer", *Review.CRITERIA, "recommendation"]

    def has_add_permission(self, request):
        return False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "decided_by", "note", "criteria_met", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The stage history is written by the services, one row per gate.
        return False


class ValueIndicatorInline(admin.TabularInline):
    model = ValueIndicator
    extra = 0
    readonly_fields = ["latest_value", "latest_measured_on"]


class ProjectStopForm(forms.Form):
    note = StageChangeForm.base_fields["note"]
    # The admin acts on several projects at once, so it confirms the gate's whole checklist in
    # one box; the service stores every criterion as ticked, and refuses without it.
    criteria_confirmed = forms.BooleanField(
        label=_("Every criterion of the gate is met"),
        help_text=_("The checklist of the gate is on the project page."),
    )


class ProjectStageForm(ProjectStopForm):
    to_stage = StageChangeForm.base_fields["to_stage"]
    field_order = ["to_stage", "criteria_confirmed", "note"]


@admin.register(Project)
class ProjectAdmin(LifecycleAdminMixin, ReadOnlyHistoryAdmin):
    """Stage and health change only through the actions, which call the project page's
    services: a gate decision with its note in the stage history (and the idea's submitter
    told), a status update whose health becomes the project's."""

    list_display = ["title", "lead_clinic", "owner", "stage", "health"]
    list_filter = ["stage", "health", "lead_clinic__region", "themes"]
    list_select_related = ["lead_clinic", "owner"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["owner"]
    # The idea is linked when it is accepted; the end date is set by the gate to an end stage.
    readonly_fields = ["idea", "stage", "health", "ended_on"]
    filter_horizontal = ["other_clinics", "themes"]
    inlines = [ValueIndicatorInline, StageChangeInline]
    actions = ["change_stage", "stop_projects", "post_status_update"]
    lifecycle_help = _(
        "Stage and health change only through the actions on the list of projects (change the "
        "stage, stop the project, post a status update), so the stage history and the "
        "notifications stay right. Projects are never deleted: stop them instead."
    )

    def _gate(self, request, queryset, *, action, title, form_class, to_stage=None):
        def perform(project, data, seen):
            target = to_stage or data["to_stage"]
            return project_change_stage(
                project=project,
                to_stage=target,
                actor=request.user,
                note=data["note"],
                expected_version=seen,
                criteria_met=gate_criteria_keys(target) if data["criteria_confirmed"] else (),
            )

        return self.lifecycle_action(
            request,
            queryset,
            action=action,
            title=str(title),
            form_class=form_class,
            perform=perform,
            # The version the page showed: a gate passed (or an update) meanwhile is not
            # overwritten.
            seen=lambda project: str(project.version),
            state=lambda project: project.get_stage_display(),
        )

    @admin.action(description=_("Change the stage (gate decision)"), permissions=["lifecycle"])
    def change_stage(self, request, queryset):
        return self._gate(
            request,
            queryset,
            action="change_stage",
            title=_("Change the stage (gate decision)"),
            form_class=ProjectStageForm,
        )

    @admin.action(description=_("Stop the project"), permissions=["lifecycle"])
    def stop_projects(self, request, queryset):
        return self._gate(
            request,
            queryset,
            action="stop_projects",
            title=_("Stop the project"),
            form_class=ProjectStopForm,
            to_stage=Project.Stage.STOPPED,
        )

    @admin.action(description=_("Post a status update (health)"), permissions=["lifecycle"])
    def post_status_update(self, request, queryset):
        return self.lifecycle_action(
            request,
            queryset,
            action="post_status_update",
            title=str(_("Post a status update (health)")),
            form_class=StatusUpdateForm,
            perform=lambda project, data, seen: status_update_post(
                project=project, author=request.user, health=data["health"], text=data["text"]
            ),
            state=lambda project: project.get_health_display(),
        )


@admin.register(StatusUpdate)
class StatusUpdateAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    """Posted through status_update_post (the project page, or the projects' action here),
    which makes the reported health the project's. Its text stays editable."""

    list_display = ["project", "health", "author", "created_at"]
    list_filter = ["health"]
    readonly_fields = ["project", "author", "health"]

    def has_add_permission(self, request):
        return False


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


@admin.register(ProjectMember)
class ProjectMemberAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "accepted_at"]
    list_filter = ["role"]
    raw_id_fields = ["project", "user"]


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
