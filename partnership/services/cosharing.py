"""Co-sharing rules and their computed results: written only here.

A steering leader names a value indicator of the agreement's project as a sharing indicator
and agrees its rule (``sharing_rule_create``, ``sharing_rule_edit``); every measurement of
the indicator is then computed and kept (``sharing_results_for_measurement``, called by the
portfolio when a measurement is recorded, through ``portfolio.measurement_hooks``), and
``sharing_results_recompute`` computes what is missing for existing data (the
``cosharing_recompute`` command). A kept result is never changed: an edited rule has a new
version, and its results are new rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from core.formatting import format_number
from partners.models import Agreement, AgreementParty
from portfolio.models import ValueIndicator, ValueMeasurement

from ..access import sharing_rule_can_manage
from ..cosharing import PartyTerms, RuleTerms, compute_shares
from ..models import SharingResult, SharingResultShare, SharingRule, SharingRuleParty

RULE_FIELDS = ("floor", "ceiling", "currency", "cost_amount", "gain_per_unit", "note")
SIDES = ("gain_share_at_floor", "gain_share_at_ceiling", "cost_share_below_floor")
SIDE_PREFIX = {
    "gain_share_at_floor": "gain_floor",
    "gain_share_at_ceiling": "gain_ceiling",
    "cost_share_below_floor": "cost_below",
}
SIDE_SUM_MESSAGES = {
    "gain_share_at_floor": _(
        "The shares of the gain at the floor sum to %(sum)s %%; together with the region "
        "they must sum to 100 %%."
    ),
    "gain_share_at_ceiling": _(
        "The shares of the gain at the ceiling sum to %(sum)s %%; together with the region "
        "they must sum to 100 %%."
    ),
    "cost_share_below_floor": _(
        "The shares of the cost below the floor sum to %(sum)s %%; together with the region "
        "they must sum to 100 %%."
    ),
}


@dataclass(frozen=True)
class PartyPercentages:
    gain_share_at_floor: Decimal
    gain_share_at_ceiling: Decimal
    cost_share_below_floor: Decimal


def party_key(organisation_id: int | None) -> str:
    """The form's (and the errors') key of a party: ``region`` or the organisation's id."""
    return "region" if organisation_id is None else str(organisation_id)


def share_field(side: str, organisation_id: int | None) -> str:
    """The form field (and error key) of one party's percentage on one side."""
    return f"{SIDE_PREFIX[side]}_{party_key(organisation_id)}"


def agreement_party_ids(agreement: Agreement) -> list[int | None]:
    """The parties of the agreement, the region (None) first, then partners by name."""
    partners = list(
        AgreementParty.objects.filter(agreement=agreement, organisation__isnull=False)
        .order_by("organisation__name")
        .values_list("organisation_id", flat=True)
    )
    return [None, *partners]


def _check_parties(agreement: Agreement, parties: dict[int | None, PartyPercentages]) -> None:
    expected = set(agreement_party_ids(agreement))
    if set(parties) != expected:
        raise ValidationError(_("Give the shares of every party to the agreement, and only them."))
    errors: dict[str, list] = {}
    for side in SIDES:
        for organisation_id, percentages in parties.items():
            value = getattr(percentages, side)
            if value is None or not Decimal(0) <= value <= Decimal(100):
                errors.setdefault(share_field(side, organisation_id), []).append(
                    ValidationError(_("A share is between 0 and 100 per cent."), code="range")
                )
    if errors:
        raise ValidationError(errors)
    for side in SIDES:
        total = sum((getattr(p, side) for p in parties.values()), Decimal(0))
        if total != 100:
            # Next to the region's field: its share is what the partners leave.
            errors[share_field(side, None)] = [
                ValidationError(
                    SIDE_SUM_MESSAGES[side],
                    code="sum",
                    params={"sum": format_number(total)},
                )
            ]
    if errors:
        raise ValidationError(errors)


def _check_floor_below_ceiling(floor, ceiling) -> None:
    if floor is not None and ceiling is not None and floor >= ceiling:
        raise ValidationError(
            {"ceiling": ValidationError(_("The ceiling must be above the floor."), code="order")}
        )


def _check_indicator(agreement: Agreement, indicator: ValueIndicator) -> None:
    if indicator.project_id != agreement.project_id:
        raise ValidationError(
            {"indicator": _("The indicator must be one of the agreement's project.")}
        )
    if indicator.is_retired:
        raise ValidationError({"indicator": _("This indicator is retired.")})


def _save_parties(
    rule: SharingRule, parties: dict[int | None, PartyPercentages], actor: User
) -> None:
    existing = {p.organisation_id: p for p in rule.parties.all()}
    # A party that has left the agreement (while it was a draft) leaves the rule too.
    for organisation_id, party in existing.items():
        if organisation_id not in parties:
            party._history_user = actor
            party.delete()
    for organisation_id, percentages in parties.items():
        party = existing.get(organisation_id) or SharingRuleParty(
            rule=rule, organisation_id=organisation_id
        )
        changed = party.pk is None
        for side in SIDES:
            if getattr(party, side) != getattr(percentages, side):
                setattr(party, side, getattr(percentages, side))
                changed = True
        if changed:
            party.full_clean()
            party._history_user = actor
            party.save()


@transaction.atomic
def sharing_rule_create(
    *,
    agreement: Agreement,
    indicator: ValueIndicator,
    actor: User,
    parties: dict[int | None, PartyPercentages],
    **fields,
) -> SharingRule:
    """Name ``indicator`` a sharing indicator of ``agreement`` with its agreed rule, and
    compute the measurements it already has."""
    if not sharing_rule_can_manage(access_for(actor), agreement):
        raise PermissionDenied
    _check_indicator(agreement, indicator)
    _check_floor_below_ceiling(fields.get("floor"), fields.get("ceiling"))
    rule = SharingRule(
        agreement=agreement, indicator=indicator, **{k: fields.get(k) for k in RULE_FIELDS}
    )
    rule.note = rule.note or ""
    rule.currency = rule.currency or SharingRule.Currency.SEK
    rule.full_clean()
    _check_parties(agreement, parties)
    rule._history_user = actor
    rule.save()
    _save_parties(rule, parties, actor)
    sharing_results_recompute(rule=rule, actor=actor)
    return rule


@transaction.atomic
def sharing_rule_edit(
    *,
    rule: SharingRule,
    actor: User,
    expected_version,
    parties: dict[int | None, PartyPercentages],
    **fields,
) -> SharingRule:
    """Change the rule; refused if someone saved it since the form was loaded. The results
    kept so far stay; the measurements are computed again under the new version."""
    if not sharing_rule_can_manage(access_for(actor), rule.agreement):
        raise PermissionDenied
    current = SharingRule.objects.select_for_update().select_related("agreement").get(pk=rule.pk)
    check_version(current, expected_version)
    _check_floor_below_ceiling(fields.get("floor"), fields.get("ceiling"))
    for name in RULE_FIELDS:
        setattr(current, name, fields.get(name))
    current.note = current.note or ""
    current.full_clean()
    _check_parties(current.agreement, parties)
    current._history_user = actor
    current.save()
    _save_parties(current, parties, actor)
    sharing_results_recompute(rule=current, actor=actor)
    return current


def _terms(rule: SharingRule) -> RuleTerms:
    indicator = rule.indicator
    return RuleTerms(
        baseline=indicator.baseline,
        higher_is_better=indicator.direction == ValueIndicator.Direction.HIGHER,
        floor=rule.floor,
        ceiling=rule.ceiling,
        partners=tuple(
            PartyTerms(
                key=p.organisation_id,
                gain_at_floor=p.gain_share_at_floor,
                gain_at_ceiling=p.gain_share_at_ceiling,
                cost_below_floor=p.cost_share_below_floor,
            )
            for p in sorted(rule.parties.all(), key=lambda p: p.pk)
            if p.organisation_id is not None
        ),
        cost_amount=rule.cost_amount,
        gain_per_unit=rule.gain_per_unit,
    )


def _keep(rule: SharingRule, measurement: ValueMeasurement, actor: User | None) -> SharingResult:
    computation = compute_shares(_terms(rule), measurement.value)
    result = SharingResult.objects.create(
        rule=rule,
        rule_version=rule.version,
        measurement=measurement,
        measured_on=measurement.measured_on,
        measured_value=measurement.value,
        baseline=rule.indicator.baseline,
        direction=rule.indicator.direction,
        floor=rule.floor,
        ceiling=rule.ceiling,
        improvement=computation.improvement,
        band=computation.band,
        position=computation.position,
        currency=rule.currency,
        cost_amount=rule.cost_amount,
        gain_amount=computation.gain_amount,
        steps=computation.steps,
        computed_by=actor,
    )
    SharingResultShare.objects.bulk_create(
        SharingResultShare(
            result=result,
            organisation_id=share.key,
            gain_share=share.gain_share,
            cost_share=share.cost_share,
            gain_amount=share.gain_amount,
            cost_amount=share.cost_amount,
            steps=share.steps,
        )
        for share in computation.shares
    )
    return result


def sharing_results_for_measurement(measurement: ValueMeasurement) -> list[SharingResult]:
    """Compute and keep the shares of every rule of the measurement's indicator (the hook the
    portfolio calls in ``value_measurement_record``'s transaction)."""
    rules = SharingRule.objects.filter(indicator=measurement.indicator_id).select_related(
        "indicator"
    )
    results = []
    for rule in rules.prefetch_related("parties"):
        if not SharingResult.objects.filter(
            rule=rule, measurement=measurement, rule_version=rule.version
        ).exists():
            results.append(_keep(rule, measurement, measurement.recorded_by))
    return results


@transaction.atomic
def sharing_results_recompute(*, rule: SharingRule | None = None, actor: User | None = None) -> int:
    """Compute what is missing: every measurement of each rule's indicator not yet computed
    under the rule's current version. Returns how many results were added; a second run adds
    none."""
    rules = SharingRule.objects.select_related("indicator").prefetch_related("parties")
    if rule is not None:
        rules = rules.filter(pk=rule.pk)
    added = 0
    for current in rules:
        done = set(
            current.results.filter(rule_version=current.version).values_list(
                "measurement_id", flat=True
            )
        )
        for measurement in ValueMeasurement.objects.filter(indicator=current.indicator_id).order_by(
            "measured_on", "pk"
        ):
            if measurement.pk not in done:
                _keep(current, measurement, actor)
                added += 1
    return added
