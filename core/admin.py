from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.models import Notification, OutboxEmail
from core.outbox import outbox_emails_retry


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
    """Written by ``core.notifications.notify`` (which also writes the e-mail to the outbox) and
    marked read by the person: shown here, never written or backdated."""

    list_display = ["recipient", "message", "created_at", "read_at"]
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Every e-mail Partnerskap sends, to read: what waits, what went, what failed and why.
    Records are changed only by the sender, and by "try again" for failed mail after an outage
    (``core.outbox.outbox_emails_retry``)."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user"]
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    def get_fields(self, request, obj=None):
        fields = [field.name for field in self.model._meta.fields if field.name != "id"]
        if obj is not None and obj.kind in OutboxEmail.CREDENTIAL_KINDS:
            # The text holds a link that sets the person's password: not for other eyes.
            fields = [name for name in fields if name not in ("body_text", "body_html")]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # The records stay read-only in the admin; trying again is the one change allowed.
        return request.user.has_perm("core.change_outboxemail")

    @admin.action(description=_("Try the selected failed e-mails again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox_emails_retry(emails=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed e-mail will be tried again.",
                "%(count)d failed e-mails will be tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
