"""A leader takes a no-go gate decision that cuts one partner; that partner's user sees it on
the phase page (and a notification), and nothing of the partner who continues."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partners.models import Agreement
from partnership.models import Phase, PhaseBudget
from tests.clinics.factories import ClinicFactory, LeaderFactory, RegionFactory
from tests.partners.factories import (
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.portfolio.factories import ProjectFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_no_go_gate_cuts_a_partner_who_then_sees_it(page, live_server, log_in):
    region = RegionFactory(name="Region Västerbotten", slug="vasterbotten", language="sv")
    clinic = ClinicFactory(region=region, name="Tandvårdskliniken Idun", slug="idun")
    leader = LeaderFactory(username="leader", region=region, preferred_language="en")
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Digital dental triage")
    cut = PartnerOrganisationFactory(name="Medtech Nord AB")
    kept = PartnerOrganisationFactory(name="Umeå Universitet")
    agreement = agreement_with_parties(
        cut, kept, project=project, title="Innovation partnership", status=Agreement.Status.SIGNED
    )
    phase = Phase.objects.create(
        agreement=agreement,
        number=1,
        name="Prototype",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    for organisation in (cut, kept):
        PhaseBudget.objects.create(phase=phase, organisation=organisation, ceiling=Decimal(1000))
    partner = PartnerUserFactory(username="partner", organisation=cut, preferred_language="en")

    log_in(leader)
    page.goto(f"{live_server.url}/partnership/phases/{phase.pk}/")
    page.get_by_role("link", name="Take the gate decision").click()
    page.get_by_label("Decision note").fill("The prototype did not reach the agreed level.")
    page.locator(f"input[name=outcome_{cut.pk}][value=no_go]").check()
    page.locator(f"textarea[name=note_{cut.pk}]").fill("Your prototype missed the target.")
    page.locator(f"input[name=outcome_{kept.pk}][value=go]").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/partnership/phases/{phase.pk}/")
    decision = page.get_by_test_id("gate-decision")
    expect(decision).to_contain_text("Medtech Nord AB: No-go")
    expect(decision).to_contain_text("Umeå Universitet: Go")

    page.context.clear_cookies()
    log_in(partner)
    page.goto(f"{live_server.url}/partnership/phases/{phase.pk}/")
    decision = page.get_by_test_id("gate-decision")
    expect(decision).to_contain_text("Medtech Nord AB: No-go")
    expect(decision).to_contain_text("Your prototype missed the target.")
    expect(decision).not_to_contain_text("Umeå Universitet")
    page.goto(live_server.url + reverse("portfolio:notifications"))
    expect(page.get_by_text("A gate decision was taken on phase “Prototype”")).to_be_visible()
