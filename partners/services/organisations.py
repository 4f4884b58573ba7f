"""A region administrator's partner organisations: the details of the organisations their
region keeps (name, kind, contact data). Not deleted: memberships and agreements point to
them, and the history keeps every change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for, region_can_administer
from clinics.models import Region, User
from core.concurrency import check_version
from partners.models import PartnerOrganisation

FIELDS = (
    "name",
    "kind",
    "registration_number",
    "website",
    "contact_email",
    "contact_phone",
    "description",
)


def _fill(organisation: PartnerOrganisation, fields: dict) -> None:
    for name in FIELDS:
        value = fields.get(name, "")
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    if not organisation.name:
        raise ValidationError(
            {"name": ValidationError(_("Give the organisation's name."), "required")}
        )
    wanted = organisation.name.casefold()
    others = PartnerOrganisation.objects.exclude(pk=organisation.pk)
    # Names are unique across regions (one organisation, many regions' partner): in any case.
    if any(name.casefold() == wanted for name in others.values_list("name", flat=True)):
        raise ValidationError(
            {"name": ValidationError(_("An organisation of this name exists."), "unique")}
        )


@transaction.atomic
def partner_organisation_create(*, actor: User, region: Region, **fields) -> PartnerOrganisation:
    if not region_can_administer(access_for(actor), region.pk):
        raise PermissionDenied
    organisation = PartnerOrganisation(region=region)
    _fill(organisation, fields)
    organisation.full_clean()
    organisation._history_user = actor
    organisation.save()
    return organisation


@transaction.atomic
def partner_organisation_update(
    *,
    organisation: PartnerOrganisation,
    actor: User,
    expected_version: int | str | None,
    **fields,
) -> PartnerOrganisation:
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if not region_can_administer(access_for(actor), organisation.region_id):
        raise PermissionDenied
    check_version(
        organisation,
        expected_version,
        message=_("Someone else changed this organisation meanwhile. Reload it and edit again."),
    )
    _fill(organisation, fields)
    organisation.full_clean()
    organisation._history_user = actor
    organisation.save()
    return organisation
