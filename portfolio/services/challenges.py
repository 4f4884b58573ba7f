"""Leaders post challenges: needs of one clinic or of the whole region, with a closing date."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import Clinic, Region, User
from core.concurrency import check_version
from portfolio.access import challenge_can_post, challenges_editable_by
from portfolio.models import Challenge


def _check_remit(*, actor: User, region: Region, clinic: Clinic | None) -> None:
    """A leader posts for a clinic they lead, or region-wide only if they lead the region."""
    if clinic is not None:
        if clinic.region_id != region.pk:
            raise ValidationError({"clinic": _("The clinic must belong to the chosen region.")})
        if not challenge_can_post(access_for(actor), region_id=region.pk, clinic_id=clinic.pk):
            raise ValidationError({"clinic": _("You can post only for clinics you lead.")})
    elif not challenge_can_post(access_for(actor), region_id=region.pk, clinic_id=None):
        raise ValidationError(
            {"clinic": _("Choose a clinic: you do not lead the whole region.")}, code="remit"
        )


def _check_closing_date(closes_on: datetime.date | None, *, changed: bool) -> None:
    if closes_on is not None and changed and closes_on < timezone.localdate():
        raise ValidationError(
            {
                "closes_on": ValidationError(
                    _("The closing date cannot be in the past."), code="past"
                )
            }
        )


@transaction.atomic
def challenge_create(
    *,
    actor: User,
    region: Region,
    clinic: Clinic | None,
    title: str,
    description: str,
    closes_on: datetime.date | None,
    open_to_partners: bool = False,
) -> Challenge:
    _check_remit(actor=actor, region=region, clinic=clinic)
    # A new challenge says until when ideas are welcome (older ones may have no date).
    if closes_on is None:
        raise ValidationError(
            {
                "closes_on": ValidationError(
                    _("Choose the closing date: the last day to send ideas."), code="required"
                )
            }
        )
    _check_closing_date(closes_on, changed=True)
    challenge = Challenge(
        region=region,
        clinic=clinic,
        title=title.strip(),
        description=description.strip(),
        posted_by=actor,
        closes_on=closes_on,
        open_to_partners=open_to_partners,
    )
    challenge.full_clean()
    challenge.save()
    return challenge


def challenge_version(challenge: Challenge) -> int:
    """What an edit form carries to detect a later save by someone else (its ``version``)."""
    return challenge.version


@transaction.atomic
def challenge_update(
    *,
    challenge: Challenge,
    actor: User,
    expected_version: int | str | None,
    region: Region,
    clinic: Clinic | None,
    title: str,
    description: str,
    closes_on: datetime.date | None,
    open_to_partners: bool = False,
) -> Challenge:
    """Edit a challenge; refused if someone else saved it after the form was opened.

    Both the challenge as stored and the new region/clinic must be in the actor's remit: a
    leader of some clinics cannot take over a region-wide challenge, nor move one there.
    """
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not challenges_editable_by(actor).filter(pk=challenge.pk).exists():
        raise PermissionDenied
    check_version(
        challenge,
        expected_version,
        message=_("Someone else changed this challenge meanwhile. Reload it and edit again."),
    )
    _check_remit(actor=actor, region=region, clinic=clinic)
    _check_closing_date(closes_on, changed=closes_on != challenge.closes_on)
    challenge.region = region
    challenge.clinic = clinic
    challenge.title = title.strip()
    challenge.description = description.strip()
    challenge.closes_on = closes_on
    challenge.open_to_partners = open_to_partners
    challenge.full_clean()
    challenge.save()
    return challenge
