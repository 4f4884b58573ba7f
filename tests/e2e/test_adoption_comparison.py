"""A leader records that another clinic pilots the project, records a measurement there, and
sees the indicator side by side across clinics (chart with its text alternative, and table)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.clinics.factories import ClinicFactory, LeaderFactory, RegionFactory
from tests.portfolio.factories import ProjectFactory, ValueIndicatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_leader_records_an_adoption_and_compares_the_clinics(page, live_server, log_in):
    today = timezone.localdate()
    region = RegionFactory(name="Region Västerbotten", slug="vasterbotten", language="sv")
    clinic = ClinicFactory(region=region, name="Tandvårdskliniken Idun", slug="idun")
    ClinicFactory(region=region, name="Bjurholms hälsocentral", slug="bjurholm")
    leader = LeaderFactory(username="leader", region=region, preferred_language="en")
    project = ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title="Digital dental triage",
        started_on=today - datetime.timedelta(days=90),
    )
    ValueIndicatorFactory(
        project=project,
        name="Waiting days",
        baseline=Decimal("20"),
        target=Decimal("10"),
        latest_value=Decimal("15"),
        latest_measured_on=today - datetime.timedelta(days=5),
    )

    log_in(leader)
    page.goto(live_server.url + reverse("portfolio:project_detail", args=[project.pk]))
    page.get_by_test_id("project-adoptions").get_by_role(
        "link", name="Adoption across clinics"
    ).click()
    page.get_by_role("link", name="Add a clinic").click()
    page.get_by_label("Clinic").select_option(label="Bjurholms hälsocentral")
    page.get_by_label("Status").select_option("piloting")
    page.get_by_label("Started").fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save").click()
    table = page.get_by_test_id("adoptions-table")
    expect(table).to_contain_text("Bjurholms hälsocentral")
    expect(table).to_contain_text("Piloting")

    page.get_by_role("link", name="Record a measurement in Bjurholms hälsocentral").click()
    page.get_by_label("Value indicator").select_option(label="Waiting days")
    page.locator("#id_value").fill("12")
    page.get_by_label("Measured on").fill(today.isoformat())
    page.get_by_role("button", name="Record").click()

    # The comparison: the pilot (15 → 50 %) and the adopting clinic (12 → 80 %).
    comparison = page.get_by_role("table", name="Waiting days across clinics")
    expect(comparison).to_be_visible()
    pilot = comparison.get_by_role("row", name="Tandvårdskliniken Idun")
    expect(pilot).to_contain_text("Pilot")
    expect(pilot).to_contain_text("50%")
    adopting = comparison.get_by_role("row", name="Bjurholms hälsocentral")
    expect(adopting).to_contain_text("Piloting")
    expect(adopting).to_contain_text("80%")
    chart = page.get_by_role("img", name="Progress towards the target of Waiting days, per clinic")
    expect(chart).to_be_visible()
