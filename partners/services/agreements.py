"""Agreements: written by leaders, confirmed by every party, frozen once signed.

The database refuses a non-draft agreement whose risk or value shares do not each sum to 100
(migration 0002: deferred to commit on PostgreSQL, per statement on SQLite). So parties are
always written while the agreement is a draft, and the status changes afterwards.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.concurrency import check_version
from core.notifications import notify
from portfolio.models import Project

from ..access import agreement_can_manage, agreement_party_of
from ..models import Agreement, AgreementParty
from ..querysets import SIGNED_BY_ALL
from .leader_notifications import leaders_tell_agreement_confirmed

S = Agreement.Status
AGREEMENT_FIELDS = ("title", "responsibilities", "starts_on", "ends_on")
PARTY_FIELDS = (
    "organisation",
    "contribution_hours",
    "contribution_money",
    "contribution_knowledge",
    "contribution_in_kind",
    "risk_share",
    "value_share",
    "responsibilities",
)
# Moves a leader makes by hand; "signed" is reached only through every party's confirmation.
LEADER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PROPOSED}),
    S.PROPOSED: frozenset({S.DRAFT}),
    S.SIGNED: frozenset({S.ACTIVE, S.ENDED}),
    S.ACTIVE: frozenset({S.ENDED}),
    S.ENDED: frozenset(),
}
HUNDRED = Decimal(100)


def parties_validate(parties: list[dict]) -> None:
    """The rules for a set of parties, checked before the database would refuse them."""
    errors = []
    regions = [p for p in parties if p.get("organisation") is None]
    organisations = [p["organisation"].pk for p in parties if p.get("organisation") is not None]
    if len(regions) != 1:
        errors.append(ValidationError(_("The region must be a party exactly once."), code="region"))
    if not organisations:
        errors.append(
            ValidationError(_("Add at least one partner organisation."), code="no_partner")
        )
    if len(set(organisations)) != len(organisations):
        errors.append(
            ValidationError(_("Each organisation can be a party only once."), code="duplicate")
        )
    risk = sum((p.get("risk_share") or Decimal(0) for p in parties), Decimal(0))
    value = sum((p.get("value_share") or Decimal(0) for p in parties), Decimal(0))
    if risk != HUNDRED:
        errors.append(
            ValidationError(
                _("The shares of risk must sum to 100 %% (now %(total)s %%)."),
                code="risk_sum",
                params={"total": risk},
            )
        )
    if value != HUNDRED:
        errors.append(
            ValidationError(
                _("The shares of value must sum to 100 %% (now %(total)s %%)."),
                code="value_sum",
                params={"total": value},
            )
        )
    if errors:
        raise ValidationError(errors)


def _has_contribution(party: dict) -> bool:
    return bool(
        (party.get("contribution_hours") or 0) > 0
        or (party.get("contribution_money") or 0) > 0
        or (party.get("contribution_knowledge") or "").strip()
        or (party.get("contribution_in_kind") or "").strip()
    )


def agreement_proposal_validate(agreement: Agreement, parties: list[dict]) -> None:
    """What a proposal needs beyond a valid set of parties: a term (first and last day), and
    something from every party (hours, money, knowledge or in kind). A draft may lack them
    while it is written; nobody is asked to confirm an agreement without them."""
    errors: dict[str, list[ValidationError]] = {}
    for name, message in (
        ("starts_on", _("Give the first day of the term before proposing the agreement.")),
        ("ends_on", _("Give the last day of the term before proposing the agreement.")),
    ):
        if getattr(agreement, name) is None:
            errors[name] = [ValidationError(message, code="no_term")]
    for party in parties:
        if not _has_contribution(party):
            errors.setdefault("__all__", []).append(
                ValidationError(
                    _(
                        "%(party)s contributes nothing: give its hours, money, knowledge or "
                        "contribution in kind before proposing the agreement."
                    ),
                    code="no_contribution",
                    params={
                        "party": party["organisation"].name
                        if party.get("organisation")
                        else agreement.project.lead_clinic.region.name
                    },
                )
            )
    if errors:
        raise ValidationError(errors)


def _write_parties(agreement: Agreement, parties: list[dict], actor: User) -> None:
    # Only ever called on a draft: the share triggers let a draft be rewritten row by row.
    # One by one (not a bulk delete) so the audit trail names who removed each party.
    for party in agreement.parties.all():
        party._history_user = actor
        party.delete()
    for data in parties:
        party = AgreementParty(agreement=agreement, **{k: data.get(k) for k in PARTY_FIELDS})
        party._history_user = actor
        for name in ("contribution_hours", "contribution_money"):
            if getattr(party, name) is None:
                setattr(party, name, Decimal(0))
        for name in ("contribution_knowledge", "contribution_in_kind", "responsibilities"):
            if getattr(party, name) is None:
                setattr(party, name, "")
        party.full_clean(exclude=["agreement"])
        party.save()


@transaction.atomic
def agreement_create(*, project: Project, actor: User, parties: list[dict], **fields) -> Agreement:
    if not agreement_can_manage(access_for(actor), project):
        raise PermissionDenied
    parties_validate(parties)
    agreement = Agreement(
        project=project,
        created_by=actor,
        status=S.DRAFT,
        **{k: fields.get(k) for k in AGREEMENT_FIELDS if k in fields},
    )
    agreement.full_clean()
    agreement._history_user = actor
    agreement.save()
    _write_parties(agreement, parties, actor)
    return agreement


@transaction.atomic
def agreement_edit(
    *,
    agreement: Agreement,
    actor: User,
    parties: list[dict],
    expected_revision: int | str | None,
    **fields,
) -> Agreement:
    """Change a draft or proposed agreement. A proposed one returns to draft: the parties must
    see and confirm what changed. Signed agreements change only through a new version.

    ``expected_revision`` is the agreement's ``revision`` when the form was opened: if anyone
    saved it since, or the form does not say, nothing is overwritten."""
    if not agreement_can_manage(access_for(actor), agreement.project):
        raise PermissionDenied
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if current.is_frozen:
        raise ValidationError(
            _("A signed agreement can only change through a new version."), code="frozen"
        )
    check_version(
        current,
        expected_revision,
        message=_("Someone else changed this agreement meanwhile. Reload the page to see it."),
    )
    parties_validate(parties)
    for name in AGREEMENT_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    current.status = S.DRAFT
    current.proposed_at = None
    current.full_clean()
    current._history_user = actor
    current.save()
    _write_parties(current, parties, actor)
    return current


def _party_dicts(agreement: Agreement) -> list[dict]:
    return [
        {name: getattr(party, name) for name in PARTY_FIELDS}
        for party in agreement.parties.select_related("organisation")
    ]


def _partner_users(agreement: Agreement):
    return User.objects.filter(
        is_active=True,
        role=User.Role.PARTNER,
        partner_membership__organisation__agreement_parties__agreement=agreement,
    )


def _parties_unconfirm(agreement: Agreement, actor: User) -> None:
    """Every party must confirm again. A bulk update (one statement, so the share triggers see
    no half-written state) whose audit entries are written explicitly: .update() sends no
    signals to django-simple-history."""
    changed = list(agreement.parties.filter(confirmed_at__isnull=False))
    if not changed:
        return
    now = timezone.now()
    agreement.parties.filter(pk__in=[p.pk for p in changed]).update(
        confirmed_at=None, confirmed_by=None, updated_at=now
    )
    for party in changed:
        party.confirmed_at = None
        party.confirmed_by = None
    AgreementParty.history.bulk_history_create(
        changed, update=True, default_user=actor, default_date=now
    )


@transaction.atomic
def agreement_transition(*, agreement: Agreement, actor: User, to_status: str) -> Agreement:
    if not agreement_can_manage(access_for(actor), agreement.project):
        raise PermissionDenied
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to_status not in LEADER_TRANSITIONS[current.status]:
        raise ValidationError(
            _("An agreement that is “%(from)s” cannot become “%(to)s”."),
            code="invalid_transition",
            params={"from": S(current.status).label, "to": S(to_status).label},
        )
    if to_status == S.PROPOSED:
        parties = _party_dicts(current)
        parties_validate(parties)
        agreement_proposal_validate(current, parties)
        current.proposed_at = timezone.now()
        _parties_unconfirm(current, actor)
    if to_status == S.DRAFT:
        current.proposed_at = None
        _parties_unconfirm(current, actor)
    current.status = to_status
    current.full_clean()
    current._history_user = actor
    current.save()
    if to_status == S.PROPOSED:
        url = reverse("partners:agreement_detail", args=[current.pk])
        for recipient in _partner_users(current):
            notify(
                recipient=recipient,
                message=format_lazy(
                    _("The agreement “{title}” is proposed to you: please read and confirm it."),
                    title=current.title,
                ),
                url=url,
            )
    return current


class AgreementChanged(ValidationError):
    """The agreement changed after the person loaded the page they confirm from."""


@transaction.atomic
def agreement_confirm(
    *, agreement: Agreement, actor: User, expected_revision: int | str | None
) -> AgreementParty:
    """A party confirms (signs) a proposed agreement: partners for their organisation, a
    leader for the region. When every party has confirmed, the agreement is signed, and the
    version it replaces ends.

    ``expected_revision`` is the agreement's ``revision`` as the page the person read showed
    it: if the agreement changed since (edited, withdrawn and proposed again, signed), or the
    caller does not say which terms it signs, nobody signs terms they have not seen. Another
    party's confirmation does not change the terms, so it does not count as a change.
    """
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    check_version(
        current,
        expected_revision,
        message=_(
            "The agreement changed after you opened it. Read it again as it is now, then confirm."
        ),
        error_class=AgreementChanged,
    )
    if current.status != S.PROPOSED:
        raise ValidationError(_("Only a proposed agreement can be confirmed."), code="not_proposed")
    party = agreement_party_of(access_for(actor), current, current.parties.all())
    if party is None:
        raise PermissionDenied
    if party.confirmed_at is not None:
        raise ValidationError(_("Your party has already confirmed."), code="already_confirmed")
    party.confirmed_at = timezone.now()
    party.confirmed_by = actor
    party._history_user = actor
    party.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    told = set()
    if not current.parties.filter(confirmed_at__isnull=True).exists():
        current.status = S.SIGNED
        current.signed_at = timezone.now()
        current.full_clean()
        current._history_user = actor
        current.save()
        _previous_version_end(current, actor)
        if current.created_by_id != actor.pk:
            told.add(current.created_by_id)
            notify(
                recipient=current.created_by,
                message=format_lazy(
                    _("Every party has confirmed “{title}”: it is signed."), title=current.title
                ),
                url=reverse("partners:agreement_detail", args=[current.pk]),
            )
    if access_for(actor).is_partner:
        # Whoever was just told the agreement is signed is not told twice.
        leaders_tell_agreement_confirmed(
            agreement=current, actor=actor, organisation=party.organisation, skip=told
        )
    return party


def _previous_version_end(signed: Agreement, actor: User) -> None:
    """A signed new version replaces the one before it: that one ends, so it no longer counts
    as in force (income and IP go to the newest version, see ``agreement_replaced_by``)."""
    if signed.previous_version_id is None:
        return
    previous = (
        Agreement.objects.select_for_update()
        .filter(pk=signed.previous_version_id, status__in=(S.SIGNED, S.ACTIVE))
        .first()
    )
    if previous is None:
        return
    previous.status = S.ENDED
    previous.full_clean()
    previous._history_user = actor
    previous.save()


def agreement_replaced_by(agreement: Agreement) -> Agreement | None:
    """The newer version that has replaced ``agreement`` (signed or later), if any."""
    return Agreement.objects.filter(previous_version=agreement, status__in=SIGNED_BY_ALL).first()


@transaction.atomic
def agreement_new_version(*, agreement: Agreement, actor: User) -> Agreement:
    """Copy a signed, active or ended agreement into a draft of the next version."""
    if not agreement_can_manage(access_for(actor), agreement.project):
        raise PermissionDenied
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not current.is_frozen:
        raise ValidationError(
            _("Only a signed, active or ended agreement gets a new version; edit this one."),
            code="not_frozen",
        )
    if Agreement.objects.filter(previous_version=current).exists():
        raise ValidationError(_("This version already has a newer version."), code="has_next")
    new = Agreement(
        project=current.project,
        title=current.title,
        version=current.version + 1,
        previous_version=current,
        status=S.DRAFT,
        created_by=actor,
        **{k: getattr(current, k) for k in ("responsibilities", "starts_on", "ends_on")},
    )
    new.full_clean()
    new._history_user = actor
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as error:
        raise ValidationError(_("This version already has a newer version.")) from error
    _write_parties(new, _party_dicts(current), actor)
    return new
