"""Numbers, money and values in the reader's language: one place for the whole product.

Django's own number formatting knows each locale's decimal and thousand separators (``1 234,5``
in Swedish, ``1.234,5`` in Danish, ``1,234.5`` in English); what it lacks is dropping the
trailing zeros a ``DecimalField`` carries (``6.00``) and writing a currency. Both are small, so
they live here rather than in a new dependency.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

# Where the currency goes, by language: "650 000 SEK", "650.000 DKK", "SEK 650,000".
CURRENCY_FIRST = {"en"}


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, *, decimal_pos: int | None = None) -> str:
    """``6.00`` → ``6``, ``1234.5`` → ``1 234,5`` (sv): grouped, the locale's separators, and
    no trailing zeros unless ``decimal_pos`` asks for a fixed number of decimals."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if decimal_pos is None:
        # normalize() drops trailing zeros; quantize keeps 1E+3 from turning into "1E+3".
        number = number.normalize()
        exponent = number.as_tuple().exponent
        decimal_pos = max(0, -exponent) if isinstance(exponent, int) else 0
        number = number.quantize(Decimal(1).scaleb(-decimal_pos))
    return formats.number_format(number, decimal_pos, use_l10n=True, force_grouping=True)


def format_percent(value) -> str:
    """``55`` → ``55 %`` (sv, da), ``55%`` (en)."""
    return _("%(number)s%%") % {"number": format_number(value)}


def format_money(amount, currency: str = "SEK") -> str:
    """An amount with its currency and grouping: whole amounts without decimals, others with
    two (``650 000 SEK``, ``1.250,50 DKK``, ``SEK 650,000``)."""
    number = _decimal(amount)
    if number is None:
        return ""
    decimals = 0 if number == number.to_integral_value() else 2
    text = format_number(number, decimal_pos=decimals)
    currency = (currency or "").upper()
    if not currency:
        return text
    language = (translation.get_language() or "en").split("-")[0]
    nbsp = "\u00a0"
    return f"{currency}{nbsp}{text}" if language in CURRENCY_FIRST else f"{text}{nbsp}{currency}"


def format_date(value) -> str:
    """A date (or the local date of a datetime) in the one short style of each language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
