from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from partners.models import Agreement, AgreementParty, IncomeEntry, Milestone, Reinvestment
from tests.constraints import PATHS, assert_refused, named_constraints
from tests.partners.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    PartnerOrganisationFactory,
)
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _agreement(**changes):
    project = ProjectFactory()
    values = {"project": project, "title": "Avtal", "created_by": project.owner}
    return Agreement, {**values, **changes}


def _duplicate_version():
    existing = AgreementFactory()
    return _agreement(project=existing.project, title=existing.title, version=existing.version)


def _term_ends_before_start():
    today = timezone.localdate()
    return _agreement(starts_on=today, ends_on=today - timedelta(days=1))


def _signed_without_date():
    return _agreement(status="signed", signed_at=None)


def _party(**changes):
    values = {
        "agreement": AgreementFactory(),  # a draft: its shares may still be incomplete
        "organisation": PartnerOrganisationFactory(),
        "risk_share": Decimal(50),
        "value_share": Decimal(50),
    }
    return AgreementParty, {**values, **changes}


def _organisation_twice():
    party = AgreementPartyFactory()
    return _party(agreement=party.agreement, organisation=party.organisation)


def _region_twice():
    party = AgreementPartyFactory(organisation=None)
    return _party(agreement=party.agreement, organisation=None)


def _milestone(**changes):
    project = ProjectFactory()
    values = {"project": project, "title": "Pilot", "due_on": timezone.localdate()}
    return Milestone, {**values, **changes}


def _income(**changes):
    values = {
        "agreement": AgreementFactory(),
        "amount": Decimal(1000),
        "received_on": timezone.localdate(),
    }
    return IncomeEntry, {**values, **changes}


def _reinvestment_of_nothing():
    model, values = _income()
    income = model.objects.create(**values)
    return Reinvestment, {"income": income, "project": income.agreement.project, "amount": 0}


CASES = {
    "agreement_version_unique": _duplicate_version,
    "agreement_ends_after_start": _term_ends_before_start,
    "agreement_signed_has_date": _signed_without_date,
    "agreement_party_unique_organisation": _organisation_twice,
    "agreement_party_one_region": _region_twice,
    "agreement_party_risk_share_percent": lambda: _party(risk_share=Decimal("100.01")),
    "agreement_party_value_share_percent": lambda: _party(value_share=Decimal(-1)),
    "agreement_party_contributions_not_negative": lambda: _party(contribution_money=-5),
    "milestone_progress_percent": lambda: _milestone(progress=101),
    "milestone_done_is_complete": lambda: _milestone(status="done", progress=90),
    "milestone_confirmed_only_when_done": lambda: _milestone(
        status="in_progress", confirmed_at=timezone.now()
    ),
    "income_entry_amount_positive": lambda: _income(amount=Decimal(0)),
    "reinvestment_amount_positive": _reinvestment_of_nothing,
}


def test_every_named_constraint_has_a_case():
    assert set(CASES) == named_constraints("partners")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_refuses_bad_rows(name, path):
    model, values = CASES[name]()

    assert_refused(path, model, name, values)


def test_valid_rows_pass_both_paths():
    for factory in (_agreement, _party, _income):
        model, values = factory()
        model(**values).full_clean()
        model.objects.create(**values)
    model, values = _milestone(status="done", progress=100, confirmed_at=timezone.now())
    model(**values).full_clean()
    model.objects.create(**values)


@pytest.mark.parametrize("app_label", ["clinics", "portfolio", "partners"])
def test_every_constraint_message_renders(app_label):
    # Django fills the message with "%(name)s": a bare "%" in it used to crash full_clean().
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models():
        for constraint in model._meta.constraints:
            for language in ("en", "sv", "da"):
                with translation.override(language):
                    assert constraint.get_violation_error_message()


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_row_says_why_in_words_not_the_constraints_name(name):
    from django.core.exceptions import ValidationError

    model, values = CASES[name]()
    with pytest.raises(ValidationError) as error:
        model(**values).full_clean()

    text = " ".join(error.value.messages)
    assert name not in text and "Constraint" not in text
