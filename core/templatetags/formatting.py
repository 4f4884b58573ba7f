"""``money`` and ``number``: amounts and decimals in the reader's language (core/formatting.py)."""

from django import template

from core.formatting import format_money, format_number

register = template.Library()


@register.filter
def money(value, currency="SEK"):
    """``{{ amount|money:"DKK" }}`` → ``650.000 DKK``. The argument may be a region: its
    currency follows its language (Danish regions count in DKK)."""
    language = getattr(currency, "language", None)
    if language is not None:
        currency = "DKK" if language == "da" else "SEK"
    return format_money(value, currency)


@register.filter
def number(value):
    """``6.00`` → ``6``, ``1250.5`` → ``1 250,5`` (sv)."""
    return format_number(value)
