"""API tokens in the admin: a read-only list (never a key: only its first characters are
stored), and one action, *Revoke*, through ``api.services.api_token_revoke``.

Tokens are made by their owners on their account page, never here: an administrator who could
make one could act as anyone through the API.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "key_start",
        "created_at",
        "expires_at",
        "last_used_at",
        "created_with_second_factor",
    ]
    list_filter = ["created_with_second_factor"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    date_hierarchy = "created_at"
    # The digest is no secret one can log in with, but there is nothing to read in it either.
    fields = [
        "user",
        "key_start",
        "created_at",
        "expires_at",
        "last_used_at",
        "created_with_second_factor",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("beginning of the key"))
    def key_start(self, token):
        return f"{token.key_prefix}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoking goes through the action (and the service), not Django's delete pages.
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("api.delete_apitoken")

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = sum(
            api_token_revoke(user=token.user) for token in queryset.select_related("user")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d API token was revoked.", "%(count)d API tokens were revoked.", revoked
            )
            % {"count": revoked},
            messages.SUCCESS,
        )
