"""Contributions planned and actual: written only here.

The plan (one row per party and kind) is the steering leaders'; actual contributions are
recorded by them for any party and by a partner user for its own organisation
(``partnership.access_contributions``). Every write checks the rule again, locks the row it
changes and compares the version the form carried (a stale edit is refused), and leaves the
person in the audit trail (django-simple-history).

Values are in the region's currency (``portfolio.models.Currency.for_region``), the one the
agreement's money is counted in.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import STALE_MESSAGE, check_version
from core.documents import stored_document_delete, stored_document_save
from partners.models import AgreementParty
from portfolio.models import Currency
from portfolio.services.ideas import attachment_check

from ..access_contributions import (
    contribution_can_change,
    contribution_can_record,
    contribution_plan_can_edit,
)
from ..models_contributions import Contribution, ContributionDocument

K = Contribution.Kind
R = Contribution.Record


def agreement_currency(agreement) -> str:
    """The currency an agreement's contributions are counted in: its region's."""
    return Currency.for_region(agreement.project.lead_clinic.region)


def _check_amounts(kind: str, hours: Decimal | None, value: Decimal | None) -> dict:
    errors = {}
    if kind not in K.values:
        errors["kind"] = _("Choose a kind of contribution.")
    if value is None:
        errors["value"] = _("Give the value.")
    elif value < 0:
        errors["value"] = _("The value cannot be negative.")
    if kind == K.HOURS:
        if hours is None:
            errors["hours"] = _("Give the number of hours.")
        elif hours < 0:
            errors["hours"] = _("Hours cannot be negative.")
    elif hours is not None:
        errors["hours"] = _("Hours are given only for a contribution of hours.")
    return errors


@transaction.atomic
def contribution_plan_set(
    *,
    party: AgreementParty,
    kind: str,
    actor: User,
    value: Decimal,
    hours: Decimal | None = None,
    note: str = "",
    expected_version=None,
) -> Contribution:
    """Set one party's plan for one kind. A first plan is made (``expected_version`` None);
    a plan that exists is changed only from the version the form was based on."""
    agreement = party.agreement
    if not contribution_plan_can_edit(access_for(actor), agreement):
        raise PermissionDenied
    errors = _check_amounts(kind, hours, value)
    if errors:
        raise ValidationError(errors)
    # Lock the party: two leaders planning the same kind at once do not both create a plan.
    AgreementParty.objects.select_for_update(of=("self",)).filter(pk=party.pk).order_by(
        "pk"
    ).first()
    plan = (
        Contribution.objects.select_for_update(of=("self",))
        .filter(party=party, kind=kind)
        .planned()
        .order_by("pk")
        .first()
    )
    if plan is None:
        if expected_version not in (None, ""):
            # The plan the form showed was removed meanwhile.
            raise ValidationError(STALE_MESSAGE, code="stale")
        plan = Contribution(
            party=party,
            kind=kind,
            record=R.PLANNED,
            recorded_by=actor,
            currency=agreement_currency(agreement),
        )
    else:
        check_version(plan, expected_version)
    plan.value, plan.hours, plan.note = value, hours, note
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def contribution_record(
    *,
    party: AgreementParty,
    actor: User,
    kind: str,
    contributed_on,
    value: Decimal,
    hours: Decimal | None = None,
    note: str = "",
    uploaded=None,
) -> Contribution:
    """Record what a party actually put in, with an optional document (checked as every
    upload: ``attachment_check``)."""
    if not contribution_can_record(access_for(actor), party):
        raise PermissionDenied
    errors = _check_amounts(kind, hours, value)
    errors.update(_check_date(contributed_on))
    if errors:
        raise ValidationError(errors)
    content_type = None
    if uploaded is not None:
        try:
            content_type = attachment_check(uploaded)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
    contribution = Contribution(
        party=party,
        kind=kind,
        record=R.ACTUAL,
        contributed_on=contributed_on,
        value=value,
        hours=hours,
        note=note,
        recorded_by=actor,
        currency=agreement_currency(party.agreement),
    )
    contribution.full_clean()
    contribution._history_user = actor
    contribution.save()
    if uploaded is not None:
        stored_document_save(
            ContributionDocument(contribution=contribution),
            uploaded=uploaded,
            content_type=content_type,
            actor=actor,
        )
    return contribution


def _check_date(contributed_on) -> dict:
    if contributed_on is None:
        return {"contributed_on": _("Give the date of the contribution.")}
    if contributed_on > timezone.localdate():
        return {"contributed_on": _("A contribution is recorded once it is made, not before.")}
    return {}


def _locked_actual(contribution: Contribution, actor: User, expected_version) -> Contribution:
    current = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("party__agreement__project")
        .get(pk=contribution.pk)
    )
    if not contribution_can_change(access_for(actor), current):
        raise PermissionDenied
    check_version(current, expected_version)
    return current


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    actor: User,
    expected_version,
    kind: str,
    contributed_on,
    value: Decimal,
    hours: Decimal | None = None,
    note: str = "",
) -> Contribution:
    """Correct an actual contribution (the recorder for a while, steering leaders always)."""
    current = _locked_actual(contribution, actor, expected_version)
    errors = _check_amounts(kind, hours, value)
    errors.update(_check_date(contributed_on))
    if errors:
        raise ValidationError(errors)
    current.kind, current.contributed_on = kind, contributed_on
    current.value, current.hours, current.note = value, hours, note
    current.full_clean()
    current._history_user = actor
    current.save()
    return current


@transaction.atomic
def contribution_delete(*, contribution: Contribution, actor: User, expected_version) -> None:
    """Remove an actual contribution and its document; the audit trail keeps both."""
    current = _locked_actual(contribution, actor, expected_version)
    document = ContributionDocument.objects.filter(contribution=current).order_by("pk").first()
    if document is not None:
        stored_document_delete(document, actor=actor)
    current._history_user = actor
    current.delete()
