"""Reads of the clinics app, scoped to the person asking."""

__all__ = ["clinics_led_by"]  # the one definition is in clinics.access

from django.db.models import Q, QuerySet

from .access import clinics_led_by
from .models import Clinic, LeaderScope, Region, SupportContact, User
from .personal_data import history_rows, personal_data_parts, rows


def clinics_visible_to(user: User) -> QuerySet[Clinic]:
    """Clinics whose pages a person may open."""
    if not user.is_authenticated:
        return Clinic.objects.none()
    if user.is_superuser:
        return Clinic.objects.all()
    if user.is_leader:
        return clinics_led_by(user)
    if user.is_clinic_staff and user.clinic_id:
        return Clinic.objects.filter(pk=user.clinic_id)
    return Clinic.objects.none()


def regions_led_by(user: User) -> QuerySet[Region]:
    return Region.objects.filter(clinics__in=clinics_led_by(user)).distinct()


def leaders_of_clinic(clinic: Clinic) -> QuerySet[User]:
    """Leaders who support a clinic, clinic-specific ones first."""
    return (
        User.objects.filter(is_active=True, role=User.Role.LEADER)
        .filter(
            Q(leader_scopes__clinic=clinic)
            | Q(leader_scopes__region=clinic.region_id, leader_scopes__clinic__isnull=True)
        )
        .distinct()
        .order_by("username")
    )


def support_contacts_for_clinic(clinic: Clinic) -> QuerySet[SupportContact]:
    """The clinic's own helpers and the region-wide ones, grouped by area."""
    return SupportContact.objects.filter(
        Q(clinic=clinic) | Q(region=clinic.region_id, clinic__isnull=True)
    ).order_by("area", "clinic", "name")


def personal_data_for(*, user: User) -> dict:
    """Everything Partnerskap holds about one person, for them to download (read-only).

    One query per kind of record, whatever the amounts, and only rows that name the person:
    their profile and remit, what they wrote or did, what was sent to them. Secrets (password
    hash, two-factor keys, recovery codes) are left out; that they exist is said. Each app
    above this one hands in its sections through ``clinics.personal_data``.
    """
    from axes.models import AccessLog
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    profile = (
        User.objects.filter(pk=user.pk)
        .values(
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "clinic__name",
            "region__name",
            "preferred_language",
            "notify_in_app",
            "notify_by_email",
            "is_active",
            "date_joined",
            "last_login",
        )
        .get()
    )
    data = {
        "profile": profile,
        "leader_scopes": rows(
            LeaderScope.objects.filter(leader=user), "region__name", "clinic__name", "created_at"
        ),
        # What a region administrator changed on the region administration pages.
        "changes_i_made": history_rows(user, Clinic, SupportContact, LeaderScope),
    }
    for part in personal_data_parts():
        if part.export is None:
            continue
        for section, value in part.export(user).items():
            # Sections several apps fill (the audit trail's records) are one list.
            if isinstance(value, list) and isinstance(data.get(section), list):
                data[section] = data[section] + value
            else:
                data[section] = value
    data["two_factor"] = {
        "authenticator_apps": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
    }
    data["logins"] = rows(
        AccessLog.objects.filter(username=user.username).order_by("attempt_time"),
        "attempt_time",
        "logout_time",
        "ip_address",
        "user_agent",
    )
    return data
