from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Clinic, LeaderScope, Region, SupportContact, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind", "innovation_clinic_since"]
    list_filter = ["region", "kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(SupportContact)
class SupportContactAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "region", "clinic", "email", "phone"]
    list_filter = ["area", "region"]
    search_fields = ["name", "email"]


class LeaderScopeInline(admin.TabularInline):
    model = LeaderScope
    fk_name = "leader"
    extra = 0
    autocomplete_fields = ["clinic"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "clinic", "is_active"]
    list_filter = ["role", "region", "is_active", "is_superuser"]
    list_select_related = ["clinic"]
    inlines = [LeaderScopeInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Partnerskap"),
            {
                "fields": (
                    "role",
                    "region",
                    "clinic",
                    "phone",
                    "preferred_language",
                    "notify_in_app",
                    "notify_by_email",
                )
            },
        ),
    )
