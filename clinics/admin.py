from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Clinic, LeaderScope, Region, SupportContact, User
from .services import user_deactivate, user_erase


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "region",
        "kind",
        "innovation_clinic_since",
        "allotted_innovation_hours_per_week",
    ]
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
    """People. Nobody is deleted here: deleting a person would empty "who" in the audit trail
    and on their milestone updates. Erase their personal data (the action below) or untick
    *Active* instead."""

    list_display = ["username", "first_name", "last_name", "email", "role", "clinic", "is_active"]
    list_filter = ["role", "region", "is_active", "is_superuser"]
    list_select_related = ["clinic"]
    inlines = [LeaderScopeInline]
    actions = ["deactivate", "erase_personal_data"]
    # Records of what happened (the erasure, the last login, joining), not settings.
    readonly_fields = ["erased_at", "last_login", "date_joined"]
    # Shown on the list page (templates/admin/clinics/user/change_list.html).
    change_list_template = "admin/clinics/user/change_list.html"
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
                    "erased_at",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Unticking *Active* goes through the service: sessions and API token end too.
            user_deactivate(user=obj, deactivated_by=request.user)

    @admin.action(description=_("Deactivate the selected people"), permissions=["change"])
    def deactivate(self, request, queryset):
        """Stop the accounts: sessions and API tokens end (``clinics.services.user_deactivate``)."""
        people = [person for person in queryset if person.pk != request.user.pk]
        for person in people:
            user_deactivate(user=person, deactivated_by=request.user)
        if len(people) < len(queryset):
            self.message_user(request, _("You cannot deactivate your own account."), messages.ERROR)
        if people:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person was deactivated.",
                    "%(count)d people were deactivated.",
                    len(people),
                )
                % {"count": len(people)},
                messages.SUCCESS,
            )

    def has_delete_permission(self, request, obj=None):
        # Also removes "Delete selected" from the actions. Erasure keeps the person's work
        # attributed to "Former user"; deactivation keeps everything and stops the account.
        return False

    @admin.action(
        description=_("Erase personal data of the selected people"), permissions=["change"]
    )
    def erase_personal_data(self, request, queryset):
        """One action, after a confirmation page: see ``clinics.services.user_erase``."""
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/clinics/user/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase personal data?"),
                    "opts": self.model._meta,
                    "people": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        erased = 0
        for person in queryset:
            try:
                user_erase(user=person, erased_by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{person.username}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(count)d person was erased.",
                    "The personal data of %(count)d people was erased.",
                    erased,
                )
                % {"count": erased},
                messages.SUCCESS,
            )
        return None
