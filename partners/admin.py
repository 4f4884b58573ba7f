from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyHistoryAdmin
from core.admin_lifecycle import LifecycleAdminMixin, ReadOnlyRecordAdmin

from .forms import MilestoneReopenForm
from .models import (
    Agreement,
    AgreementParty,
    IncomeEntry,
    IPItem,
    Milestone,
    MilestoneUpdate,
    PartnerMembership,
    PartnerOrganisation,
    Reinvestment,
)
from .services.agreements import (
    LEADER_TRANSITIONS,
    agreement_confirm,
    agreement_new_version,
    agreement_transition,
)


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [PartnerMembershipInline]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    raw_id_fields = ["user"]


class AgreementPartyInline(admin.TabularInline):
    """Parties of a signed, active or ended agreement are what the parties signed: read only.
    No party is deleted here (a draft's parties are rewritten on the agreement page, which
    keeps who removed which). ``obj`` of an inline's permission methods is the agreement."""

    model = AgreementParty
    extra = 0
    raw_id_fields = ["confirmed_by"]
    # Confirmations are the parties' own act (agreement_confirm), never typed in.
    readonly_fields = ["confirmed_at", "confirmed_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return False


def _agreement_targets():
    """The statuses a leader moves an agreement to by hand ("signed" comes from the parties'
    confirmations), in the lifecycle's order."""
    reachable = set().union(*LEADER_TRANSITIONS.values())
    return [choice for choice in Agreement.Status.choices if choice[0] in reachable]


class AgreementStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=_agreement_targets,
        help_text=_(
            "Proposed: the parties are asked to confirm it. Draft: it goes back for changes. "
            "Active or ended: a signed agreement starts or ends."
        ),
    )


@admin.register(Agreement)
class AgreementAdmin(LifecycleAdminMixin, ReadOnlyHistoryAdmin):
    """A signed agreement changes only through a new version, in the admin too; the lifecycle
    (status, dates, versions) moves only through the services, so it is read only here and
    changes through the actions. No agreement is deleted: end it instead."""

    list_display = ["title", "project", "version", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "previous_version", "created_by"]
    inlines = [AgreementPartyInline]
    lifecycle_fields = ["version", "previous_version", "status", "proposed_at", "signed_at"]
    actions = ["change_status", "confirm_for_region", "new_version"]
    lifecycle_help = _(
        "The status changes only through the actions on the list of agreements (change the "
        "status, confirm for the region, make a new version), so the parties are asked and "
        "told as on the agreement page. Agreements are never deleted: end them instead."
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [field.name for field in self.model._meta.fields]
        return self.lifecycle_fields

    def _agreement_action(self, request, queryset, **kwargs):
        return self.lifecycle_action(
            request,
            queryset.select_related("project"),
            state=lambda agreement: agreement.get_status_display(),
            **kwargs,
        )

    @admin.action(description=_("Change the agreement's status"), permissions=["lifecycle"])
    def change_status(self, request, queryset):
        return self._agreement_action(
            request,
            queryset,
            action="change_status",
            title=str(_("Change the agreement's status")),
            form_class=AgreementStatusForm,
            perform=lambda agreement, data, seen: agreement_transition(
                agreement=agreement, actor=request.user, to_status=data["to_status"]
            ),
        )

    @admin.action(description=_("Confirm for the region"), permissions=["lifecycle"])
    def confirm_for_region(self, request, queryset):
        def perform(agreement, data, seen):
            return agreement_confirm(
                agreement=agreement, actor=request.user, expected_revision=seen
            )

        return self._agreement_action(
            request,
            queryset,
            action="confirm_for_region",
            title=str(_("Confirm for the region")),
            perform=perform,
            # The agreement as the page showed it: nobody confirms terms changed meanwhile.
            seen=lambda agreement: str(agreement.revision),
            help_text=_(
                "The region's party confirms these proposed agreements. When every party has "
                "confirmed, an agreement is signed."
            ),
        )

    @admin.action(description=_("Make a new version"), permissions=["lifecycle"])
    def new_version(self, request, queryset):
        return self._agreement_action(
            request,
            queryset,
            action="new_version",
            title=str(_("Make a new version")),
            perform=lambda agreement, data, seen: agreement_new_version(
                agreement=agreement, actor=request.user
            ),
            help_text=_(
                "Each signed, active or ended agreement is copied into a draft of its next "
                "version, with the same parties; it stays in force until the new one is signed."
            ),
        )


class MilestoneUpdateInline(admin.TabularInline):
    model = MilestoneUpdate
    extra = 0
    readonly_fields = ["author", "kind", "changes", "comment", "evidence", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The history is written by the services, one entry per change.
        return False


class MilestoneAdminForm(forms.ModelForm):
    """Carries the version the form was loaded with: a save over someone else's change is
    refused, as on the milestone pages."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        # The admin drops the read-only ones (see MilestoneAdmin.get_readonly_fields).
        fields = [
            "project",
            "title",
            "description",
            "responsible_party",
            "responsible_leader",
            "due_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        from .services.milestones import milestone_plan_check

        cleaned = super().clean()
        project = cleaned.get("project") or (self.instance.project if self.instance.pk else None)
        if project is not None:
            milestone_plan_check(
                project=project,
                responsible_party=cleaned.get("responsible_party"),
                responsible_leader=cleaned.get("responsible_leader"),
            )
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = Milestone.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            if current and current[0] != loaded:
                raise ValidationError(
                    _("Someone else saved this milestone meanwhile. Reload the page.")
                )
        return cleaned


class MilestoneReopenAdminForm(forms.Form):
    reason = MilestoneReopenForm.base_fields["reason"]


def _milestone_version(seen: str) -> int:
    # The version the page showed; anything else counts as out of date.
    return int(seen) if seen.isdigit() else 0


@admin.register(Milestone)
class MilestoneAdmin(LifecycleAdminMixin, ReadOnlyHistoryAdmin):
    """Plan fields are edited through ``milestone_edit`` (version bumped, history entry
    written, same checks as the leader's form); progress and status are the partners' and
    leaders' acts on the pages, read only here. Confirming and reopening go through the
    actions; no milestone is deleted."""

    form = MilestoneAdminForm
    list_display = ["title", "project", "responsible_party", "due_on", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "responsible_leader", "confirmed_by"]
    inlines = [MilestoneUpdateInline]
    progress_fields = ["status", "progress", "completed_on", "confirmed_at", "confirmed_by"]
    actions = ["confirm_milestones", "reopen_milestones"]
    lifecycle_help = _(
        "Status and progress are reported on the milestone's page; a milestone marked done is "
        "confirmed or reopened through the actions on the list of milestones, so its history "
        "and the notifications stay right. Milestones are never deleted."
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["version", *self.progress_fields]
        return ["version", "project", *self.progress_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        from .services.milestones import PLAN_FIELDS, MilestoneConflict, milestone_edit

        loaded = form.cleaned_data.get("loaded_version") or obj.version
        try:
            saved = milestone_edit(
                milestone=obj,
                actor=request.user,
                expected_version=loaded,
                **{name: form.cleaned_data[name] for name in PLAN_FIELDS},
            )
        except (MilestoneConflict, ValidationError):
            # The form's clean() checks both; this covers a save in the moment between.
            messages.error(request, _("The milestone was not saved: it changed meanwhile."))
            return
        obj.version = saved.version

    def _milestone_action(self, request, queryset, *, service, **kwargs):
        from .services.milestones import MilestoneConflict

        def perform(milestone, data, seen):
            try:
                return service(
                    milestone=milestone,
                    actor=request.user,
                    expected_version=_milestone_version(seen),
                    **data,
                )
            except MilestoneConflict as conflict:
                raise ValidationError(
                    _("Someone else saved this milestone meanwhile. Reload the page.")
                ) from conflict

        return self.lifecycle_action(
            request,
            queryset.select_related("project"),
            perform=perform,
            # The version the page showed: a report made meanwhile is not passed over.
            seen=lambda milestone: str(milestone.version),
            state=lambda milestone: milestone.get_status_display(),
            **kwargs,
        )

    @admin.action(description=_("Confirm the milestone"), permissions=["lifecycle"])
    def confirm_milestones(self, request, queryset):
        from .services.milestones import milestone_confirm

        return self._milestone_action(
            request,
            queryset,
            service=milestone_confirm,
            action="confirm_milestones",
            title=str(_("Confirm the milestone")),
            help_text=_("Accept that these milestones, marked done, are done."),
        )

    @admin.action(description=_("Reopen the milestone"), permissions=["lifecycle"])
    def reopen_milestones(self, request, queryset):
        from .services.milestones import milestone_reopen

        return self._milestone_action(
            request,
            queryset,
            service=milestone_reopen,
            action="reopen_milestones",
            title=str(_("Reopen the milestone")),
            form_class=MilestoneReopenAdminForm,
        )


@admin.register(IPItem)
class IPItemAdmin(ReadOnlyRecordAdmin):
    """The ledger is written on the agreement page (ledger services): read only here."""

    list_display = ["title", "kind", "agreement", "filed_on"]
    list_filter = ["kind"]


@admin.register(IncomeEntry)
class IncomeEntryAdmin(ReadOnlyRecordAdmin):
    list_display = ["agreement", "amount", "currency", "received_on"]


@admin.register(Reinvestment)
class ReinvestmentAdmin(ReadOnlyRecordAdmin):
    list_display = ["income", "project", "amount"]
