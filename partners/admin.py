from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyHistoryAdmin

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
    ``obj`` of an inline's permission methods is the agreement."""

    model = AgreementParty
    extra = 0
    raw_id_fields = ["confirmed_by"]
    # Confirmations are the parties' own act (agreement_confirm), never typed in.
    readonly_fields = ["confirmed_at", "confirmed_by"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyHistoryAdmin):
    """A signed agreement changes only through a new version, in the admin too; the lifecycle
    (status, dates, versions) moves only through the services, so it is read only here."""

    list_display = ["title", "project", "version", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "previous_version", "created_by"]
    inlines = [AgreementPartyInline]
    lifecycle_fields = ["version", "previous_version", "status", "proposed_at", "signed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [field.name for field in self.model._meta.fields]
        return self.lifecycle_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


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


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin):
    """Plan fields are edited through ``milestone_edit`` (version bumped, history entry
    written, same checks as the leader's form); progress, status and confirmation are the
    partners' and leaders' acts on the pages, read only here."""

    form = MilestoneAdminForm
    list_display = ["title", "project", "responsible_party", "due_on", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "responsible_leader", "confirmed_by"]
    inlines = [MilestoneUpdateInline]
    progress_fields = ["status", "progress", "completed_on", "confirmed_at", "confirmed_by"]

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


@admin.register(IPItem)
class IPItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agreement", "filed_on"]
    list_filter = ["kind"]


@admin.register(IncomeEntry)
class IncomeEntryAdmin(admin.ModelAdmin):
    list_display = ["agreement", "amount", "currency", "received_on"]


@admin.register(Reinvestment)
class ReinvestmentAdmin(admin.ModelAdmin):
    list_display = ["income", "project", "amount"]
