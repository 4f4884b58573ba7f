"""A region administrator's support contacts: who helps with what, for the whole region or
one of its clinics. Nothing points to a contact, so one that left is deleted (the history
keeps it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, Region, SupportContact, User
from core.concurrency import check_version

from .common import record_actor, require_region_administrator


def _fill(contact: SupportContact, *, region: Region, clinic: Clinic | None, **fields) -> None:
    if clinic is not None and clinic.region_id != region.pk:
        raise ValidationError({"clinic": _("The clinic must belong to the same region.")})
    contact.region = region
    contact.clinic = clinic
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    if not contact.name:
        raise ValidationError({"name": ValidationError(_("Give the contact's name."), "required")})


@transaction.atomic
def support_contact_create(
    *,
    actor: User,
    region: Region,
    clinic: Clinic | None,
    area: str,
    name: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    how_to_reach: str = "",
) -> SupportContact:
    require_region_administrator(actor, region)
    contact = SupportContact()
    _fill(
        contact,
        region=region,
        clinic=clinic,
        area=area,
        name=name,
        title=title,
        email=email,
        phone=phone,
        how_to_reach=how_to_reach,
    )
    contact.full_clean()
    record_actor(contact, actor)
    contact.save()
    return contact


@transaction.atomic
def support_contact_update(
    *,
    contact: SupportContact,
    actor: User,
    expected_version: int | str | None,
    clinic: Clinic | None,
    area: str,
    name: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    how_to_reach: str = "",
) -> SupportContact:
    contact = SupportContact.objects.select_for_update().get(pk=contact.pk)
    require_region_administrator(actor, contact.region_id)
    check_version(
        contact.version,
        expected_version,
        message=_("Someone else changed this contact meanwhile. Reload it and edit again."),
    )
    _fill(
        contact,
        region=contact.region,
        clinic=clinic,
        area=area,
        name=name,
        title=title,
        email=email,
        phone=phone,
        how_to_reach=how_to_reach,
    )
    contact.version += 1
    contact.full_clean()
    record_actor(contact, actor)
    contact.save()
    return contact


@transaction.atomic
def support_contact_delete(*, contact: SupportContact, actor: User) -> None:
    contact = SupportContact.objects.select_for_update().get(pk=contact.pk)
    require_region_administrator(actor, contact.region_id)
    record_actor(contact, actor)
    contact.delete()
