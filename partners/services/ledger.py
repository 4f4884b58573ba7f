"""The IP and income ledger of an agreement, and reinvestment of the region's share."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from portfolio.models import Project

from ..access import agreement_can_manage, projects_steered_by
from ..ledger import split_by_shares
from ..models import Agreement, IncomeEntry, IPItem, Reinvestment
from .agreements import agreement_replaced_by

# Income is received under an agreement the parties have signed.
INCOME_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE, Agreement.Status.ENDED)


def income_region_share(income: IncomeEntry) -> Decimal:
    """The region's part of an income entry (0 if the region carries no share of value)."""
    shares = [
        (party.organisation_id, party.value_share) for party in income.agreement.parties.all()
    ]
    return split_by_shares(income.amount, shares).get(None, Decimal("0.00"))


def ledger_refuse_replaced(agreement: Agreement) -> None:
    """Income and IP are recorded under the version in force, never under a replaced one:
    otherwise they would be split by shares the parties have since agreed to change."""
    newer = agreement_replaced_by(agreement)
    if newer is not None:
        raise ValidationError(
            _(
                "Version %(old)s is replaced by version %(new)s: record income and IP under "
                "the newest version."
            ),
            code="replaced",
            params={"old": agreement.version, "new": newer.version},
        )


@transaction.atomic
def ip_item_create(*, agreement: Agreement, actor: User, **fields) -> IPItem:
    if not agreement_can_manage(access_for(actor), agreement.project):
        raise PermissionDenied
    ledger_refuse_replaced(agreement)
    item = IPItem(agreement=agreement, **fields)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def income_entry_create(*, agreement: Agreement, actor: User, **fields) -> IncomeEntry:
    if not agreement_can_manage(access_for(actor), agreement.project):
        raise PermissionDenied
    if agreement.status not in INCOME_STATUSES:
        raise ValidationError(_("Income is recorded under a signed agreement."), code="not_signed")
    ledger_refuse_replaced(agreement)
    ip_item = fields.get("ip_item")
    if ip_item is not None and ip_item.agreement_id != agreement.pk:
        raise ValidationError({"ip_item": _("Choose an IP item of this agreement.")})
    entry = IncomeEntry(agreement=agreement, **fields)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def reinvestment_create(
    *, income: IncomeEntry, actor: User, project: Project, amount: Decimal, note: str = ""
) -> Reinvestment:
    """Put part of the region's share of ``income`` into ``project``; never more than is left."""
    if not agreement_can_manage(access_for(actor), income.agreement.project):
        raise PermissionDenied
    if not projects_steered_by(actor).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("Choose one of your projects.")})
    # The lock makes two reinvestments of the same income wait for each other.
    income = IncomeEntry.objects.select_for_update().select_related("agreement").get(pk=income.pk)
    already = income.reinvestments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    left = income_region_share(income) - already
    if amount > left:
        raise ValidationError(
            {
                "amount": _("At most %(left)s is left of the region's share of this income.")
                % {"left": left}
            }
        )
    reinvestment = Reinvestment(income=income, project=project, amount=amount, note=note)
    reinvestment.full_clean()
    reinvestment.save()
    return reinvestment
