import pytest
from playwright.sync_api import expect

from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_partner_updates_a_milestone_and_cannot_open_another_organisations(
    page,
    live_server,
    log_in,
    partner_user,
    partner_organisation,
    other_partner_organisation,
    project,
    leader,
):
    mine = MilestoneFactory(
        project=project,
        responsible_party=partner_organisation,
        responsible_leader=leader,
        title="Pilot starts at the clinic",
    )
    foreign_project = ProjectFactory(lead_clinic=project.lead_clinic, owner=leader)
    agreement_with_parties(other_partner_organisation, project=foreign_project)
    foreign = MilestoneFactory(
        project=foreign_project, responsible_party=other_partner_organisation
    )

    log_in(partner_user)
    expect(page.get_by_role("heading", level=1)).to_have_text(partner_organisation.name)
    page.get_by_role("link", name="Pilot starts at the clinic").click()

    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Progress (%)").fill("60")
    page.get_by_label("Comment").fill("Ethics approval received")
    page.get_by_role("button", name="Save").click()

    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(history).to_contain_text("Ethics approval received")
    expect(history).to_contain_text("0 % → 60 %")
    assert page.url.endswith(f"/partners/milestones/{mine.pk}/")

    response = page.goto(f"{live_server.url}/partners/milestones/{foreign.pk}/")
    assert response.status == 404
