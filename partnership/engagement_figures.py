"""Partner engagement's "contributions against the plan" column (``partners.engagement``):
registered in ``PartnershipConfig.ready()``, since partners sits below this app and cannot
read contributions itself. Per organisation and project: actual as a percentage of planned,
with both amounts, per currency; "No plan" said out loud where nothing was planned."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_money, format_percent

from .selectors_contributions import contributions_against_plan

CONTRIBUTIONS_FIGURE = "contributions_vs_plan"
CONTRIBUTIONS_LABEL = gettext_lazy("Contributions vs plan")


def _text(currency: str, planned: Decimal | None, actual: Decimal) -> str:
    if not planned:
        return _("No plan")
    percent = (actual * 100 / planned).quantize(Decimal("0.1"))
    return _("%(percent)s (%(actual)s of %(planned)s)") % {
        "percent": format_percent(percent),
        "actual": format_money(actual, currency),
        "planned": format_money(planned, currency),
    }


def contributions_vs_plan(user, pairs) -> dict:
    """``{(organisation_id, project_id): text}`` for every pair: one query."""
    figures = contributions_against_plan(user, list(pairs))
    result = {}
    for pair in pairs:
        by_currency = figures.get(pair)
        if not by_currency:
            result[pair] = _("No plan")
            continue
        result[pair] = "; ".join(
            _text(currency, values["planned"], values["actual"])
            for currency, values in sorted(by_currency.items())
        )
    return result
