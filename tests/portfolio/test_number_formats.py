"""Value indicators' baselines, targets and measurements in the reader's language on the
project page and the dashboard: "1 234,5" in Swedish, never "1234.50" or "7.50"."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portfolio.models import Project, ValueMeasurement
from tests.portfolio.factories import ProjectFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

MEASURED = datetime.date(2026, 3, 18)


@pytest.fixture
def swedish_client(leader):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(leader)
    return client


@pytest.fixture
def indicator(clinic, leader):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, stage=Project.Stage.PILOT)
    indicator = ValueIndicatorFactory(
        project=project,
        unit="min",
        baseline=Decimal("1234.50"),
        target=Decimal("7.50"),
        latest_value=Decimal("1000.25"),
        latest_measured_on=MEASURED,
    )
    ValueMeasurement.objects.create(
        indicator=indicator, value=Decimal("1000.25"), measured_on=MEASURED, recorded_by=leader
    )
    return indicator


def test_project_page_shows_indicator_values_localised(swedish_client, indicator):
    page = swedish_client.get(
        reverse("portfolio:project_detail", args=[indicator.project_id])
    ).content.decode()

    assert "1\u00a0234,5 min" in page
    assert "7,5 min" in page
    assert "1\u00a0000,25 min" in page
    assert "1234.50" not in page and "7.50" not in page and "1000.25" not in page


def test_dashboard_shows_indicators_behind_localised(swedish_client, indicator):
    page = swedish_client.get(reverse("portfolio:dashboard")).content.decode()

    assert "1\u00a0234,5 min" in page
    assert "1\u00a0000,25 min" in page
