"""Every list costs the same number of queries for a few rows and for many."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import InnovationTime
from tests.clinics.factories import ClinicFactory
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import (
    IdeaFactory,
    ProjectFactory,
    ThemeFactory,
    ValueIndicatorFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["region", "clinic", "project", "milestone", "agreement", "idea", "innovation-time"]


def _grow(*, region, leader, partner_organisation, staff_user, n):
    theme = ThemeFactory()
    for _ in range(n):
        clinic = ClinicFactory(region=region)
        project = ProjectFactory(lead_clinic=clinic, owner=leader)
        project.themes.add(theme)
        project.other_clinics.add(staff_user.clinic)
        ValueIndicatorFactory(project=project)
        MilestoneFactory(project=project, responsible_party=partner_organisation)
        agreement_with_parties(partner_organisation, project=project)
        IdeaFactory(submitter=staff_user, submitted=True).themes.add(theme)
        InnovationTime.objects.create(
            project=project, person=staff_user, week=datetime.date(2026, 11, 30), hours=1
        )


@pytest.mark.parametrize("role", ["leader", "partner_user", "staff_user"])
@pytest.mark.parametrize("basename", LISTS)
def test_list_queries_do_not_grow(
    request, role, basename, token_client, region, leader, partner_organisation, staff_user
):
    user = request.getfixturevalue(role)
    client = token_client(user)
    url = reverse(f"api:{basename}-list")
    grow = {
        "region": region,
        "leader": leader,
        "partner_organisation": partner_organisation,
        "staff_user": staff_user,
    }

    _grow(**grow, n=2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(**grow, n=8)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
