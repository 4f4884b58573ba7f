"""The co-sharing arithmetic in words: each kept step (``partnership.cosharing``) as one
sentence in the reader's language, numbers in the reader's format (``core.formatting``)."""

from django.utils.translation import gettext as _

from core.formatting import format_money, format_number, format_percent


def _n(value) -> str:
    return format_number(value)


def _sum_of(values) -> str:
    return " + ".join(format_percent(v) for v in values) or format_percent(0)


def step_text(step: dict, currency: str = "") -> str:
    """One step as a sentence; an unknown code (a newer kind of step) as its numbers."""
    code = step.get("code")
    money = lambda value: format_money(value, currency)  # noqa: E731 - local shorthand
    if code == "improvement_higher":
        return _(
            "Improvement (higher is better): measured %(measured)s − baseline %(baseline)s "
            "= %(result)s"
        ) % {
            "measured": _n(step["measured"]),
            "baseline": _n(step["baseline"]),
            "result": _n(step["result"]),
        }
    if code == "improvement_lower":
        return _(
            "Improvement (lower is better): baseline %(baseline)s − measured %(measured)s "
            "= %(result)s"
        ) % {
            "measured": _n(step["measured"]),
            "baseline": _n(step["baseline"]),
            "result": _n(step["result"]),
        }
    if code == "below_floor":
        return _(
            "%(improvement)s is below the floor of %(floor)s: the partners carry their agreed "
            "share of the cost, the region keeps the gain."
        ) % {"improvement": _n(step["improvement"]), "floor": _n(step["floor"])}
    if code == "capped":
        return _(
            "%(improvement)s is at or beyond the ceiling of %(ceiling)s: the shares of the gain "
            "are those agreed at the ceiling (position 1)."
        ) % {"improvement": _n(step["improvement"]), "ceiling": _n(step["ceiling"])}
    if code == "position":
        return _(
            "Position between floor and ceiling: (%(improvement)s − %(floor)s) ÷ (%(ceiling)s − "
            "%(floor)s) = %(result)s"
        ) % {
            "improvement": _n(step["improvement"]),
            "floor": _n(step["floor"]),
            "ceiling": _n(step["ceiling"]),
            "result": _n(step["result"]),
        }
    if code == "gain_amount":
        return _("Gain: improvement %(improvement)s × %(per_unit)s per unit = %(result)s") % {
            "improvement": _n(step["improvement"]),
            "per_unit": money(step["per_unit"]),
            "result": money(step["result"]),
        }
    if code == "cost_share_below_floor":
        return _("Share of the cost: %(result)s as agreed below the floor") % {
            "result": format_percent(step["result"])
        }
    if code == "no_gain_below_floor":
        return _("Share of the gain: none below the floor")
    if code == "gain_share_linear":
        return _(
            "Share of the gain: %(at_floor)s + (%(at_ceiling)s − %(at_floor)s) × %(position)s = "
            "%(result)s"
        ) % {
            "at_floor": format_percent(step["at_floor"]),
            "at_ceiling": format_percent(step["at_ceiling"]),
            "position": _n(step["position"]),
            "result": format_percent(step["result"]),
        }
    if code == "no_cost_from_floor":
        return _("Share of the cost: none from the floor on (the region carries it)")
    if code == "cost_amount":
        return _("Cost: %(amount)s × %(share)s = %(result)s") % {
            "amount": money(step["amount"]),
            "share": format_percent(step["share"]),
            "result": money(step["result"]),
        }
    if code == "gain_amount_share":
        return _("Gain: %(amount)s × %(share)s = %(result)s") % {
            "amount": money(step["amount"]),
            "share": format_percent(step["share"]),
            "result": money(step["result"]),
        }
    if code == "region_gain_remainder":
        return _("Share of the gain: 100 %% − (%(partners)s) = %(result)s") % {
            "partners": _sum_of(step["partners"]),
            "result": format_percent(step["result"]),
        }
    if code == "region_cost_remainder":
        return _("Share of the cost: 100 %% − (%(partners)s) = %(result)s") % {
            "partners": _sum_of(step["partners"]),
            "result": format_percent(step["result"]),
        }
    if code == "region_cost_amount_remainder":
        return _("Cost: %(amount)s − (%(partners)s) = %(result)s") % {
            "amount": money(step["amount"]),
            "partners": " + ".join(money(v) for v in step["partners"]) or money(0),
            "result": money(step["result"]),
        }
    if code == "region_gain_amount_remainder":
        return _("Gain: %(amount)s − (%(partners)s) = %(result)s") % {
            "amount": money(step["amount"]),
            "partners": " + ".join(money(v) for v in step["partners"]) or money(0),
            "result": money(step["result"]),
        }
    return ", ".join(f"{k}: {v}" for k, v in step.items())


def steps_text(steps: list[dict], currency: str = "") -> list[str]:
    return [step_text(step, currency) for step in steps]
