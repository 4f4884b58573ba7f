"""The digest in the leader's words: every string translated, partner updates and numbers in
the reader's language, a summary at the top, ideas linked to their review page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from insights.services.digests import digest_build
from partners.models import Milestone, MilestoneUpdate
from portfolio.models import ValueMeasurement
from tests.partners.factories import MilestoneFactory, PartnerUserFactory
from tests.portfolio.digest_world import IN_PERIOD, NOW, SLOT, STOCKHOLM, TODAY, build_portfolio
from tests.portfolio.factories import ValueIndicatorFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "sv": {
        "change": "Status: blockerad → pågår, framsteg 30 % → 55 %",
        "responsible": "ansvarig: regionen",
        "measurement": "7,5 days den",
        "baseline": "utgångsvärde 6, mål 1\xa0250,5",
        "summary": "I korthet: ",
        "plural": "1 försenad milstolpe",
    },
    "da": {
        "change": "Status: blokeret → i gang, fremdrift 30 % → 55 %",
        "responsible": "ansvarlig: regionen",
        "measurement": "7,5 days den",
        "baseline": "udgangspunkt 6, mål 1.250,5",
        "summary": "Kort fortalt: ",
        "plural": "1 forsinket milepæl",
    },
}


@pytest.fixture
def world(clinic, project, partner_organisation, leader):
    ideas = build_portfolio(
        clinic=clinic, project=project, partner_organisation=partner_organisation
    )
    # The region is responsible (no party); a partner moved it on.
    milestone = MilestoneFactory(
        project=project,
        title="Region milestone",
        due_on=TODAY + timedelta(days=2),
        responsible_party=None,
        status=Milestone.Status.IN_PROGRESS,
        progress=55,
    )
    MilestoneUpdate.objects.create(
        milestone=milestone,
        author=PartnerUserFactory(organisation=partner_organisation),
        changes={"status": ["blocked", "in_progress"], "progress": [30, 55]},
        created_at=IN_PERIOD,
    )
    indicator = ValueIndicatorFactory(
        project=project, name="Length of stay", unit="days", baseline=6, target="1250.50"
    )
    ValueMeasurement.objects.create(
        indicator=indicator,
        value="7.50",
        measured_on=IN_PERIOD.astimezone(STOCKHOLM).date(),
        recorded_by=project.owner,
        created_at=IN_PERIOD,
    )
    return ideas


def _digest(leader, language):
    return digest_build(
        leader=leader,
        period_start=SLOT - timedelta(days=7),
        period_end=SLOT,
        now=NOW,
        language=language,
    )


@pytest.mark.parametrize("language", ["sv", "da"])
def test_digest_speaks_the_leaders_language(world, leader, language):
    rendered = _digest(leader, language)
    expected = EXPECTED[language]
    for part in (rendered.text, rendered.html):
        assert expected["change"] in part
        assert expected["responsible"] in part
        assert expected["measurement"] in part
        assert expected["baseline"] in part
        assert expected["plural"] in part
    assert "responsible" not in rendered.text
    assert "status: " not in rendered.text and "progress:" not in rendered.text
    assert "6.00" not in rendered.text and "1250.50" not in rendered.text
    assert "in_progress" not in rendered.text


@pytest.mark.parametrize("language", ["sv", "da"])
def test_summary_line_comes_first(world, leader, language):
    rendered = _digest(leader, language)
    summary = EXPECTED[language]["summary"]
    first_section = rendered.text.index("==")
    assert 0 < rendered.text.index(summary) < first_section
    assert summary in rendered.html


def test_ideas_link_to_their_review_page(world, leader):
    rendered = _digest(leader, "sv")
    for idea in world.values():
        assert reverse("portfolio:review_idea", args=[idea.pk]) in rendered.text
        assert reverse("portfolio:review_idea", args=[idea.pk]) in rendered.html
    assert "/portfolio/ideas/" not in rendered.text
