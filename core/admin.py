from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.models import Notification


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """The audit trail in the admin, to read only. SIMPLE_HISTORY_REVERT_DISABLED hides the
    revert button, but the historical form still saves a POST: refused here, since a revert
    would change the object past the services' rules. Historical models themselves are not
    registered, so the admin offers no way to change or delete a record."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Written by ``core.notifications.notify`` (which also sends the e-mail) and marked read
    by the person: shown here, never written or backdated."""

    list_display = ["recipient", "message", "created_at", "read_at"]
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
