"""Fixtures of the innovation partnership tests: one agreement with two partners (the
``partner_organisation`` of the shared fixtures and a co-partner), around the shared roles."""

import pytest

from partners.models import Agreement
from tests.api.conftest import token_client  # noqa: F401 - fixture of the API tests
from tests.partners.conftest import (  # noqa: F401 - fixtures used by these tests
    _fast_password_hasher,
    joint_leader,
    lead_clinic_leader,
    leader,
)
from tests.partners.factories import (
    MilestoneFactory,
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)

from .factories import instalment_of, phase_with_budgets, target_of


@pytest.fixture
def co_partner_organisation(db):
    return PartnerOrganisationFactory(name="Umeå Universitet")


@pytest.fixture
def partnership_agreement(project, partner_organisation, co_partner_organisation):
    return agreement_with_parties(
        partner_organisation,
        co_partner_organisation,
        project=project,
        title="Innovation partnership",
        status=Agreement.Status.SIGNED,
    )


@pytest.fixture
def co_partner_user(co_partner_organisation, partnership_agreement):
    return PartnerUserFactory(username="co_partner", organisation=co_partner_organisation)


@pytest.fixture
def phase(partnership_agreement, partner_organisation, co_partner_organisation):
    return phase_with_budgets(
        partnership_agreement,
        ceilings={partner_organisation: "10000", co_partner_organisation: "20000"},
    )


@pytest.fixture
def target(phase, partner_organisation):
    return target_of(phase, partner_organisation, description="Medtech prototype works")


@pytest.fixture
def co_target(phase, co_partner_organisation):
    return target_of(phase, co_partner_organisation, description="University study done")


@pytest.fixture
def instalment(target, partner_organisation):
    return instalment_of(target, partner_organisation, amount="4000")


@pytest.fixture
def co_instalment(co_target, co_partner_organisation):
    return instalment_of(co_target, co_partner_organisation, amount="7000")


@pytest.fixture
def partner_milestone(project, partner_organisation, leader):  # noqa: F811
    return MilestoneFactory(
        project=project, responsible_party=partner_organisation, responsible_leader=leader
    )


__all__ = ["instalment_of", "phase_with_budgets", "target_of"]

# Co-sharing (tests/partnership/test_cosharing_*.py).
from .cosharing_fixtures import (  # noqa: E402, F401
    sharing_indicator,
    sharing_rule,
    sharing_rule_kwargs,
)
