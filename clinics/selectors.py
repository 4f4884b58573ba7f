"""Reads of the clinics app, scoped to the person asking."""

from django.db.models import Q, QuerySet

from .models import Clinic, Region, SupportContact, User


def clinics_led_by(user: User) -> QuerySet[Clinic]:
    """The clinics an innovation leader supports: whole regions and single clinics alike."""
    if not user.is_authenticated or not user.is_leader:
        return Clinic.objects.none()
    return Clinic.objects.filter(
        Q(region__leader_scopes__leader=user, region__leader_scopes__clinic__isnull=True)
        | Q(leader_scopes__leader=user)
    ).distinct()


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
