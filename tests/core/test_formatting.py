"""Numbers, money and dates in the reader's language, on pages and through the filters."""

from datetime import date

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from core.formatting import format_money, format_number

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", f"650{NBSP}000{NBSP}SEK"), ("da", f"650.000{NBSP}SEK"), ("en", f"SEK{NBSP}650,000")],
)
def test_money_has_its_currency_and_grouping(language, expected):
    with translation.override(language):
        assert format_money("650000.00", "SEK") == expected
        rendered = Template('{% load formatting %}{{ amount|money:"SEK" }}').render(
            Context({"amount": 650000})
        )
    assert rendered == expected


def test_money_keeps_cents_when_there_are_some():
    with translation.override("da"):
        assert format_money("1250.5", "DKK") == f"1.250,50{NBSP}DKK"


@pytest.mark.parametrize(
    ("language", "expected"), [("sv", f"1{NBSP}250,5"), ("da", "1.250,5"), ("en", "1,250.5")]
)
def test_numbers_drop_trailing_zeros_and_follow_the_locale(language, expected):
    with translation.override(language):
        assert format_number("1250.50") == expected
        assert format_number("6.00") == "6"


def test_english_dates_have_one_style():
    day = date(2026, 3, 18)
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "18 Mar 2026"
        assert formats.date_format(day, "DATE_FORMAT") == "18 Mar 2026"
    with translation.override("da"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "18.03.2026"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "money", "date_text"),
    [
        ("sv", f"650{NBSP}000{NBSP}SEK", "2026-03-18"),
        ("da", f"650.000{NBSP}SEK", "18.03.2026"),
        ("en", f"SEK{NBSP}650,000", "18 Mar 2026"),
    ],
)
def test_agreement_page_shows_money_and_dates_in_the_language(
    agreement, leader, language, money, date_text
):
    agreement.parties.update(contribution_money=650000)
    type(agreement).objects.filter(pk=agreement.pk).update(
        starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 18)
    )
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(leader)
    page = client.get(reverse("partners:agreement_detail", args=[agreement.pk])).content.decode()
    assert money in page
    assert date_text in page
    assert "650000" not in page
