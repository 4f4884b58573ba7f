from django.contrib import admin

from portfolio.admin import ReadOnlyHistoryAdmin

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
    model = AgreementParty
    extra = 0
    raw_id_fields = ["confirmed_by"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "project", "version", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "previous_version", "created_by"]
    inlines = [AgreementPartyInline]


class MilestoneUpdateInline(admin.TabularInline):
    model = MilestoneUpdate
    extra = 0
    readonly_fields = ["author", "kind", "changes", "comment", "evidence", "created_at"]
    can_delete = False


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "project", "responsible_party", "due_on", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["title", "project__title"]
    raw_id_fields = ["project", "responsible_leader", "confirmed_by"]
    readonly_fields = ["version"]
    inlines = [MilestoneUpdateInline]


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
