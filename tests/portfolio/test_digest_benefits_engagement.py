"""The digest's two sections of issue 17, as text, around a fixed Monday (2 March 2026, weekly:
the next digest comes on 9 March): "Benefit reviews due" to the benefit's owner only, and
"Partners needing action" (a silent partner, an unused invitation, a long-blocked milestone)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext

from insights.services.digests import digest_build
from partners.models import Milestone, MilestoneUpdate, PartnerMembership
from portfolio.models import Benefit, Project
from tests.clinics.factories import LeaderFactory
from tests.partners.factories import MilestoneFactory, PartnerUserFactory
from tests.portfolio.digest_world import NOW, SLOT, STOCKHOLM, TODAY
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def noon(days_before_today: int) -> datetime:
    day = TODAY - timedelta(days=days_before_today)
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=STOCKHOLM)


def build(leader, language="en"):
    leader.preferred_language = language
    leader.save()
    return digest_build(
        leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW
    )


def section(text: str, heading: str, next_heading: str | None = None) -> str:
    """The lines of the plain-text part from ``heading`` to the next section (or the end)."""
    start = text.index(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start:end]


def _benefit(project, owner, title, next_review_on):
    return Benefit.objects.create(
        project=project,
        title=title,
        dimension=Benefit.Dimension.ECONOMY,
        cash_releasing=True,
        owner=owner,
        expected_yearly_amount=Decimal("100000"),
        currency="SEK",
        next_review_on=next_review_on,
    )


@pytest.fixture
def completed(clinic, leader):
    return ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title="Home monitoring",
        stage=Project.Stage.COMPLETED,
        started_on=date(2024, 1, 1),
        ended_on=date(2025, 12, 31),
    )


def test_benefit_reviews_due_go_to_the_owner_with_the_date(completed, leader, region, clinic):
    colleague = LeaderFactory(region=region)
    _benefit(completed, leader, "Fewer admissions", date(2026, 3, 5))  # due before 9 March
    _benefit(completed, leader, "Shorter stays", date(2026, 2, 20))  # overdue
    _benefit(completed, leader, "Fewer visits", date(2026, 3, 10))  # after the next digest
    _benefit(completed, leader, "No date", None)
    _benefit(completed, colleague, "Colleague's benefit", date(2026, 3, 3))

    rendered = build(leader)

    text = rendered.text
    assert "Benefit reviews due" in text
    lines = section(text, "Benefit reviews due")
    with translation.override("en"):
        due = formats.date_format(date(2026, 3, 5), "DATE_FORMAT")
        overdue = formats.date_format(date(2026, 2, 20), "DATE_FORMAT")
    assert "Fewer admissions (Home monitoring)" in lines
    assert f"review due {due}" in lines
    assert "Shorter stays (Home monitoring)" in lines
    assert f"review due {overdue}" in lines
    # The earliest first.
    assert lines.index("Shorter stays") < lines.index("Fewer admissions")
    assert f"/portfolio/projects/{completed.pk}/benefits/" in lines
    for absent in ("Fewer visits", "No date", "Colleague's benefit"):
        assert absent not in text, absent
    assert "Benefit reviews due" in rendered.html and "Fewer admissions" in rendered.html

    # The colleague's digest reminds the colleague of theirs, and of nothing else.
    theirs = build(colleague).text
    assert "Colleague's benefit (Home monitoring)" in theirs
    assert "Fewer admissions" not in theirs


def test_no_benefit_section_without_a_review_due(completed, leader):
    _benefit(completed, leader, "Fewer visits", date(2026, 4, 1))
    assert "Benefit reviews due" not in build(leader).text


def test_partners_needing_action_in_words(project, agreement, partner_organisation, leader):
    project.stage = Project.Stage.PILOT
    project.save()
    agreement.parties.update(created_at=noon(200))
    # A member last logged in 61 days ago: silent for 61 days.
    member = PartnerUserFactory(username="member", organisation=partner_organisation)
    type(member).objects.filter(pk=member.pk).update(last_login=noon(61))
    PartnerMembership.objects.filter(user=member).update(invited_at=noon(150))
    # An invitation sent 10 days ago and never used.
    invitee = PartnerUserFactory(
        username="invitee", email="invitee@medtech.example", organisation=partner_organisation
    )
    invitee.set_unusable_password()
    invitee.save()
    PartnerMembership.objects.filter(user=invitee).update(invited_at=noon(10))
    # A milestone blocked 20 days ago; another only 14 days ago (not yet "more than 14"). No
    # update blocked them: they count from their last save.
    for title, days in (("Journal integration", 20), ("Booking integration", 14)):
        milestone = MilestoneFactory(
            project=project,
            title=title,
            responsible_party=partner_organisation,
            status=Milestone.Status.BLOCKED,
            due_on=date(2026, 6, 1),
        )
        MilestoneUpdate.objects.filter(milestone=milestone).delete()
        Milestone.objects.filter(pk=milestone.pk).update(updated_at=noon(days))

    rendered = build(leader)

    text = rendered.text
    lines = section(text, "Partners needing action")
    assert f"Medtech Nord AB ({project.title})" in lines
    assert "no activity for 61 days" in lines
    assert "invitee@medtech.example (Medtech Nord AB)" in lines
    assert "invitation unused for 10 days" in lines
    assert f"Journal integration ({project.title})" in lines
    assert "blocked for 20 days" in lines
    assert "Booking integration" not in lines
    assert "#needing-action" in lines
    assert "Partners needing action" in rendered.html


def test_the_sections_in_swedish(project, agreement, leader):
    agreement.parties.update(created_at=noon(200))
    project.stage = Project.Stage.PILOT
    project.save()
    with translation.override("sv"):
        heading = gettext("Partners needing action")
        benefits = gettext("Benefit reviews due")
    assert heading != "Partners needing action" and benefits != "Benefit reviews due"
    _benefit(project, leader, "Färre besök", date(2026, 3, 4))

    text = build(leader, language="sv").text

    assert heading in text and benefits in text
    # The partner has never been active (no member at all): "no activity yet", in Swedish.
    with translation.override("sv"):
        assert gettext("no activity yet") in text
