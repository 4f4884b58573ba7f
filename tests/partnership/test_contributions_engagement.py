"""Contributions against the plan as a partner engagement figure (registered by the
partnership app in partners.engagement): hand-computed percent, "No plan" said out loud, the
organisation page's column, scope, and queries that do not grow with the data."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partners.engagement import engagement_for_organisation
from partnership.engagement_figures import CONTRIBUTIONS_FIGURE, contributions_vs_plan
from tests.partners.factories import PartnerOrganisationFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory

from .contributions_helpers import actual, party_of, plan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def planned_world(partnership_agreement, partner_organisation):
    party = party_of(partnership_agreement, partner_organisation)
    plan(party, kind="money", value="1000")
    plan(party, kind="knowledge", value="3000")
    actual(party, kind="money", value="1500")
    actual(party, kind="knowledge", value="500")
    return partnership_agreement


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


def _row(user, organisation):
    [row] = engagement_for_organisation(user, organisation, today=TODAY)
    return row


def test_percent_of_the_plan_hand_computed(leader, planned_world, partner_organisation):
    leader.preferred_language = "en"
    leader.save()
    with translation.override("en"):
        row = _row(leader, partner_organisation)
    # 2,000 actual of 4,000 planned.
    assert _plain(row.extra[CONTRIBUTIONS_FIGURE]) == "50% (SEK 2,000 of SEK 4,000)"


def test_no_plan_is_explicit(leader, planned_world, co_partner_organisation):
    # The co-partner recorded something but planned nothing.
    actual(party_of(planned_world, co_partner_organisation), value="700")
    with translation.override("en"):
        row = _row(leader, co_partner_organisation)
    assert row.extra[CONTRIBUTIONS_FIGURE] == "No plan"


def test_a_pair_without_any_contribution_is_no_plan(leader, planned_world):
    assert contributions_vs_plan(leader, [(999999, 999999)]) == {(999999, 999999): "No plan"}


def test_a_leader_elsewhere_reads_none_of_it(
    other_region_leader, planned_world, partner_organisation
):
    pair = (partner_organisation.pk, planned_world.project_id)
    assert contributions_vs_plan(other_region_leader, [pair]) == {pair: "No plan"}


def test_the_organisation_page_shows_the_column(
    client, leader, planned_world, partner_organisation
):
    leader.preferred_language = "en"
    leader.save()
    client.force_login(leader)

    response = client.get(
        reverse("partners:organisation_detail", args=[partner_organisation.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Contributions vs plan" in html
    assert "50% (SEK 2,000 of SEK 4,000)" in _plain(html)


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow(client, leader, clinic, planned_world, partner_organisation):
    client.force_login(leader)
    url = reverse("partners:organisation_detail", args=[partner_organisation.pk])

    def grow(count):
        for _index in range(count):
            project = ProjectFactory(lead_clinic=clinic, owner=leader)
            agreement = agreement_with_parties(
                partner_organisation, PartnerOrganisationFactory(), project=project
            )
            party = party_of(agreement, partner_organisation)
            plan(party, value="100")
            actual(party, value="40")

    grow(1)
    small = _page_queries(client, url)
    grow(6)
    assert _page_queries(client, url) == small
    rows = engagement_for_organisation(leader, partner_organisation, today=TODAY)
    assert len(rows) == 8
    assert all(row.extra[CONTRIBUTIONS_FIGURE] != "No plan" for row in rows)
