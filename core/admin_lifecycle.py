"""The admin for objects whose lifecycle belongs to the services.

An idea's status, a project's stage and health, an agreement's status and a milestone's
confirmation each leave a trace when they change (a timeline row, the stage history, a milestone
update) and tell someone (a notification). Saving the field in the admin's change form would do
neither, so those fields are read only there, and the admin changes them through actions that
call the same service as the pages do, with the superuser as the actor. Nothing with such a
history is deleted in the admin: it is withdrawn, declined, stopped or ended instead, so the
history stays whole.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from clinics.access import access_for

# The confirmation page's template: the selected objects, the action's form, a submit button.
ACTION_TEMPLATE = "admin/lifecycle_action.html"
# The field that tells a post of the confirmation page from the first post of the action.
CONFIRMED = "lifecycle_confirmed"


class LifecycleAdminMixin:
    """For a ModelAdmin of such a model: no delete (the page, the bulk action), the lifecycle
    actions for superusers only, and a note on the change form that says where the read-only
    fields change (``lifecycle_help``)."""

    change_form_template = "admin/lifecycle_change_form.html"
    lifecycle_help = ""

    def has_delete_permission(self, request, obj=None):
        # Also removes "Delete selected" from the actions.
        return False

    def has_lifecycle_permission(self, request):
        """``@admin.action(permissions=["lifecycle"])``: the services act for superusers."""
        return access_for(request.user).is_superuser

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "lifecycle_help": self.lifecycle_help}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def lifecycle_action(
        self,
        request,
        queryset: QuerySet,
        *,
        action: str,
        title: str,
        perform: Callable[[Model, dict, str], object],
        form_class: type[forms.Form] | None = None,
        seen: Callable[[Model], str] | None = None,
        state: Callable[[Model], str] | None = None,
        help_text: str = "",
    ):
        """Run ``perform(obj, cleaned_data, seen)`` on every selected object, after a
        confirmation page that asks for the input in ``form_class``.

        ``seen(obj)`` is what the page showed of each object (its stage, its version), posted
        back so the service can refuse a change made meanwhile instead of overwriting it. A
        refusal by the service (ValidationError, PermissionDenied) becomes an error message
        naming the object; the others are still done.
        """
        objects = list(queryset)
        form = None
        if request.POST.get(CONFIRMED) == "yes":
            form = form_class(request.POST) if form_class else None
            if form is None or form.is_valid():
                data = form.cleaned_data if form is not None else {}
                done = sum(
                    self._lifecycle_perform(
                        request, obj, perform, data, request.POST.get(f"seen-{obj.pk}", "")
                    )
                    for obj in objects
                )
                if done:
                    self.message_user(
                        request,
                        _("%(action)s: done for %(done)d of %(total)d selected.")
                        % {"action": title, "done": done, "total": len(objects)},
                        messages.SUCCESS,
                    )
                return None
        elif form_class is not None:
            form = form_class()
        media = self.media + form.media if form is not None else self.media
        return TemplateResponse(
            request,
            ACTION_TEMPLATE,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "help_text": help_text,
                "opts": self.model._meta,
                "objects": _described(objects, seen, state),
                "form": form,
                "media": media,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "confirmed_name": CONFIRMED,
            },
        )

    def _lifecycle_perform(self, request, obj, perform, data, seen) -> bool:
        try:
            perform(obj, data, seen)
        except ValidationError as error:
            self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        except PermissionDenied:
            refusal = _("You may not make this change.")
            self.message_user(request, f"{obj}: {refusal}", messages.ERROR)
        else:
            return True
        return False


def _described(objects: Iterable[Model], seen, state) -> list[dict]:
    return [
        {
            "object": obj,
            "seen": seen(obj) if seen else None,
            "state": state(obj) if state else "",
        }
        for obj in objects
    ]


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Rows the services write and nobody changes afterwards (the IP and income ledger): the
    admin lists and shows them, and adds, changes or deletes none."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
