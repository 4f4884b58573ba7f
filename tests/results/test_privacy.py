"""The public pages, the feed and the open data of the demo data hold no personal data and no
confidential terms: no e-mail address, no person's name (every user's), no share and no
amount (contributions, budgets, ceilings, instalments, income) in any language."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from clinics.models import User
from core.formatting import format_number
from results.models import Publication

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Decimal fields that hold money or a share of an agreement (not a value indicator's numbers).
MONEY_OR_SHARE = re.compile(r"amount|money|ceiling|share|budget|income")


def _public_texts(client) -> dict[str, str]:
    texts = {}
    slugs = list(Publication.objects.published().values_list("slug", flat=True))
    assert len(slugs) >= 4
    for language in ("sv", "da", "en"):
        urls = [
            reverse("results:index") + "?per_page=50",
            reverse("results:feed"),
            reverse("results:open_data_csv"),
            reverse("results:open_data_json"),
            *(reverse("results:detail", args=[slug]) for slug in slugs),
        ]
        for url in urls:
            response = client.get(url, {"lang": language})
            assert response.status_code == 200, url
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            texts[f"{language} {url}"] = content.decode("utf-8")
    return texts


def _forbidden_amounts() -> set[str]:
    """Every money amount and share of the demo data, as the pages could write it."""
    values: set[Decimal] = set()
    shares: set[Decimal] = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("partners", "partnership", "portfolio"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and MONEY_OR_SHARE.search(field.name):
                found = model.objects.exclude(**{field.name: None}).values_list(
                    field.name, flat=True
                )
                (shares if "share" in field.name else values).update(found)
    forbidden = set()
    for language in ("sv", "da", "en"):
        with translation.override(language):
            for value in values:
                if value >= 1000:  # small numbers would meet an indicator's value by chance
                    forbidden |= {format_number(value), str(int(value))}
            for share in shares:
                if 0 < share < 100:
                    number = format_number(share)
                    forbidden |= {f"{number} %", f"{number}\u00a0%", f"{number}%"}
    return forbidden


def test_public_pages_of_the_demo_hold_no_personal_data_nor_terms():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    texts = _public_texts(Client())
    names = set()
    for first, last in User.objects.values_list("first_name", "last_name"):
        if first and last:
            names.add(f"{first} {last}")
    assert len(names) > 10
    amounts = _forbidden_amounts()
    assert amounts
    for where, text in texts.items():
        assert not EMAIL.search(text), (where, EMAIL.search(text).group())
        for name in names:
            assert name not in text, (where, name)
        for amount in amounts:
            assert amount not in text, (where, amount)


def test_the_demo_has_a_draft_that_is_not_public():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)  # idempotent
    draft = Publication.objects.get(is_published=False)
    assert Publication.objects.count() == 6
    client = Client()
    assert client.get(reverse("results:detail", args=[draft.slug])).status_code == 404
    assert draft.title not in client.get(reverse("results:index")).text
