from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.ledger import split_by_shares
from partners.models import Agreement, IncomeEntry, Reinvestment
from partners.services.ledger import income_entry_create, reinvestment_create
from tests.partners.factories import (
    AgreementFactory,
    AgreementPartyFactory,
)
from tests.portfolio.factories import ProjectFactory

D = Decimal


@pytest.mark.parametrize(
    ("amount", "shares", "expected"),
    [
        ("100.00", [("r", "33.33"), ("a", "33.33"), ("b", "33.34")], ["33.33", "33.33", "33.34"]),
        ("0.01", [("r", "50"), ("a", "50")], ["0.01", "0.00"]),
        ("10.00", [("r", "33.33"), ("a", "33.33"), ("b", "33.34")], ["3.33", "3.33", "3.34"]),
        ("1000.00", [("r", "70"), ("a", "30")], ["700.00", "300.00"]),
        ("99.99", [("r", "12.5"), ("a", "12.5"), ("b", "75")], ["12.50", "12.50", "74.99"]),
        ("0.05", [("r", "20"), ("a", "20"), ("b", "20"), ("c", "20"), ("d", "20")], ["0.01"] * 5),
    ],
)
def test_split_adds_up_to_exactly_the_amount(amount, shares, expected):
    parts = split_by_shares(D(amount), [(key, D(share)) for key, share in shares])

    assert [parts[key] for key, _ in shares] == [D(e) for e in expected]
    assert sum(parts.values()) == D(amount)


@pytest.mark.parametrize("amount", ["0.01", "0.07", "1.00", "123456.78", "99999999.99"])
def test_split_by_three_uneven_shares_never_loses_a_cent(amount):
    parts = split_by_shares(D(amount), [(1, D("45.5")), (2, D("27.25")), (3, D("27.25"))])

    assert sum(parts.values()) == D(amount)
    assert all(part >= 0 for part in parts.values())


@pytest.fixture
def signed(project, partner_organisation, db):
    agreement = AgreementFactory(project=project)
    AgreementPartyFactory(agreement=agreement, organisation=None, risk_share=50, value_share=60)
    AgreementPartyFactory(
        agreement=agreement, organisation=partner_organisation, risk_share=50, value_share=40
    )
    from django.utils import timezone

    agreement.status = Agreement.Status.SIGNED
    agreement.signed_at = timezone.now()
    agreement.save()
    return agreement


@pytest.mark.django_db
def test_reinvesting_more_than_the_regions_share_is_refused(signed, leader, project):
    income = income_entry_create(
        agreement=signed,
        actor=leader,
        amount=D("1000.00"),
        currency="SEK",
        received_on="2026-05-01",
    )
    reinvestment_create(income=income, actor=leader, project=project, amount=D("450.00"))

    with pytest.raises(ValidationError):
        reinvestment_create(income=income, actor=leader, project=project, amount=D("150.01"))
    reinvestment_create(income=income, actor=leader, project=project, amount=D("150.00"))

    assert sum(r.amount for r in Reinvestment.objects.all()) == D("600.00")


@pytest.mark.django_db
def test_reinvesting_in_a_project_of_another_region_is_refused(signed, leader, other_region):
    income = income_entry_create(
        agreement=signed, actor=leader, amount=D("10"), currency="SEK", received_on="2026-05-01"
    )
    foreign = ProjectFactory(lead_clinic__region=other_region)

    with pytest.raises(ValidationError):
        reinvestment_create(income=income, actor=leader, project=foreign, amount=D("1"))


@pytest.mark.django_db
def test_income_needs_a_signed_agreement(agreement, leader):
    with pytest.raises(ValidationError):
        income_entry_create(
            agreement=agreement,
            actor=leader,
            amount=D("10"),
            currency="SEK",
            received_on="2026-05-01",
        )


@pytest.mark.django_db
def test_ledger_page_splits_income_and_shows_reinvestment(client, signed, leader, project):
    leader.preferred_language = "en"
    leader.save()
    client.force_login(leader)
    url = reverse("partners:agreement_ledger", kwargs={"pk": signed.pk})

    response = client.post(
        url,
        {
            "form": "income",
            "income-amount": "100.01",
            "income-currency": "sek",
            "income-received_on": "2026-06-01",
            "income-description": "Licence fee",
        },
    )
    assert response.status_code == 302
    income = IncomeEntry.objects.get()
    assert income.currency == "SEK"
    response = client.post(
        url,
        {
            "form": "reinvest",
            "reinvest-income": income.pk,
            "reinvest-project": project.pk,
            "reinvest-amount": "20.00",
        },
    )
    assert response.status_code == 302

    page = client.get(url).content.decode()
    assert "60.01 SEK" in page  # the region's 60 % of 100.01, rounded so the parts sum up
    assert "40.00 SEK" in page
    assert "SEK\u00a020 → " + project.title in page  # money: currency, grouping


@pytest.mark.django_db
def test_ledger_refuses_bad_input_and_foreign_ids_without_a_500(client, signed, leader, project):
    other = AgreementFactory(project=project, title="Other")
    AgreementPartyFactory(agreement=other, organisation=None, risk_share=100, value_share=100)
    client.force_login(leader)
    url = reverse("partners:agreement_ledger", kwargs={"pk": signed.pk})
    foreign_income = IncomeEntry.objects.create(
        agreement=other, amount=D("5"), received_on="2026-01-01"
    )

    for data in [
        {"form": "income", "income-amount": "-5", "income-received_on": "2026-06-01"},
        {"form": "income", "income-amount": "abc", "income-received_on": "nope"},
        {
            "form": "reinvest",
            "reinvest-income": foreign_income.pk,
            "reinvest-project": project.pk,
            "reinvest-amount": "1",
        },
        {"form": "ip", "ip-kind": "trade secret", "ip-title": ""},
        {"form": "what"},
    ]:
        assert client.post(url, data).status_code == 400, data
    assert not Reinvestment.objects.exists()


@pytest.fixture
def replaced(signed, leader):
    """``signed`` (v1) replaced by a signed version 2."""
    from django.utils import timezone

    from partners.services.agreements import agreement_new_version

    v2 = agreement_new_version(agreement=signed, actor=leader)
    Agreement.objects.filter(pk=v2.pk).update(
        status=Agreement.Status.SIGNED, signed_at=timezone.now()
    )
    return signed


@pytest.mark.django_db
def test_income_and_ip_under_a_replaced_version_are_refused(replaced, leader):
    from partners.services.ledger import ip_item_create

    with pytest.raises(ValidationError) as income_error:
        income_entry_create(
            agreement=replaced,
            actor=leader,
            amount=D("10"),
            currency="SEK",
            received_on="2026-05-01",
        )
    with pytest.raises(ValidationError) as ip_error:
        ip_item_create(agreement=replaced, actor=leader, kind="patent", title="Sensor")

    assert "replaced by version 2" in " ".join(income_error.value.messages)
    assert ip_error.value.code == "replaced"
    assert not IncomeEntry.objects.exists()


@pytest.mark.django_db
def test_ledger_page_of_a_replaced_version_points_to_the_newest(client, replaced, leader):
    client.force_login(leader)
    url = reverse("partners:agreement_ledger", kwargs={"pk": replaced.pk})

    page = client.get(url).content.decode()
    posted = client.post(
        url,
        {
            "form": "income",
            "income-amount": "10",
            "income-currency": "SEK",
            "income-received_on": "2026-06-01",
        },
    )

    assert "This version is replaced by version 2" in page
    assert "Record income" not in page and "Record IP" not in page
    assert posted.status_code == 400
    assert not IncomeEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "form": "income",
                "income-amount": "-5",
                "income-currency": "SEK",
                "income-received_on": "2026-06-01",
                "income-description": "Licence fee 2026",
            },
            "income-amount",
        ),
        ({"form": "reinvest", "reinvest-amount": "-3", "reinvest-note": "Pilot kit"}, None),
    ],
)
def test_a_negative_amount_is_a_field_error_with_the_input_kept(
    client, signed, leader, project, data, field
):
    income = IncomeEntry.objects.create(agreement=signed, amount=D("100"), received_on="2026-01-01")
    if data["form"] == "reinvest":
        data = data | {"reinvest-income": income.pk, "reinvest-project": project.pk}
    client.force_login(leader)

    response = client.post(reverse("partners:agreement_ledger", kwargs={"pk": signed.pk}), data)

    assert response.status_code == 400
    form = response.context[f"{data['form']}_form"]
    assert "amount" in form.errors
    assert "greater than or equal to 0.01" in " ".join(form.errors["amount"])
    page = response.content.decode()
    assert "Constraint" not in page and "_positive" not in page
    assert 'value="-' in page  # what was typed stays in the form
    assert ("Licence fee 2026" in page) if field else ("Pilot kit" in page)
    assert not Reinvestment.objects.exists() and IncomeEntry.objects.count() == 1
