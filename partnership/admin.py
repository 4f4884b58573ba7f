"""The innovation partnerships in the admin: read-mostly. Phases, targets, gate decisions,
instalments and roll-up settings are written on the pages, through the services that check
the rules, the versions and the ceilings; here administrators read them and their history.
The one action runs a service: marking due what is due now (``instalments_mark_due``), as
the hourly job would."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyHistoryAdmin
from core.admin_lifecycle import ReadOnlyRecordAdmin

from .models import (
    GateDecision,
    GateOutcome,
    Instalment,
    InterimTarget,
    MilestoneWeight,
    Phase,
    PhaseBudget,
    ProgressSetting,
)
from .services.instalments_due import instalments_mark_due


class _ReadOnly(ReadOnlyRecordAdmin, ReadOnlyHistoryAdmin):
    pass


class PhaseBudgetInline(admin.TabularInline):
    model = PhaseBudget
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "ceiling"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Phase)
class PhaseAdmin(_ReadOnly):
    list_display = ["__str__", "agreement", "starts_on", "ends_on", "currency"]
    list_select_related = ["agreement"]
    search_fields = ["name", "agreement__title"]
    inlines = [PhaseBudgetInline]


@admin.register(InterimTarget)
class InterimTargetAdmin(_ReadOnly):
    list_display = ["__str__", "phase", "organisation", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["phase", "organisation"]


class GateOutcomeInline(admin.TabularInline):
    model = GateOutcome
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "outcome", "note"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GateDecision)
class GateDecisionAdmin(_ReadOnly):
    list_display = ["__str__", "decided_by", "decided_at", "corrects"]
    list_select_related = ["phase", "decided_by", "corrects__phase"]
    inlines = [GateOutcomeInline]


@admin.register(Instalment)
class InstalmentAdmin(_ReadOnly):
    list_display = ["__str__", "phase", "target", "status", "planned_on", "paid_on"]
    list_filter = ["status"]
    list_select_related = ["organisation", "phase", "target"]
    actions = ["mark_due_now"]

    @admin.action(description=_("Mark due what is due now (target met or date come)"))
    def mark_due_now(self, request, queryset):
        moved = instalments_mark_due()
        self.message_user(
            request,
            ngettext("%(count)d instalment became due.", "%(count)d instalments became due.", moved)
            % {"count": moved},
            messages.SUCCESS,
        )


@admin.register(ProgressSetting)
class ProgressSettingAdmin(_ReadOnly):
    list_display = ["project", "mode", "updated_at"]
    list_filter = ["mode"]
    list_select_related = ["project"]


@admin.register(MilestoneWeight)
class MilestoneWeightAdmin(_ReadOnly):
    list_display = ["milestone", "weight"]
    list_select_related = ["milestone"]
