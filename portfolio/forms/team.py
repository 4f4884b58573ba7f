"""The forms of a project's team: add a member, change a role."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import ProjectMember


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        place = user.clinic or getattr(
            getattr(user, "partner_membership", None), "organisation", None
        )
        name = user.get_full_name() or user.username
        return f"{name} ({place})" if place else f"{name} ({user.get_role_display()})"


class ProjectMemberAddForm(forms.Form):
    user = PersonChoiceField(
        label=_("Person"),
        queryset=None,
        help_text=_(
            "Staff and leaders of the project's clinics, and partner users of its parties."
        ),
        error_messages={"invalid_choice": _("Choose a person from the list.")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ProjectMember.Role.choices, initial=ProjectMember.Role.MEMBER
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates.select_related(
            "clinic", "partner_membership__organisation"
        )


class ProjectMemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ProjectMember.Role.choices)
