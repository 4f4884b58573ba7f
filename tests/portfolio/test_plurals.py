"""Counts read right in every language: "1 forsinket milepæl", "2 forsinkede milepæle"
(issue 15 saw "1 forsinkede" on the Danish dashboard)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Idea, Project
from tests.partners.factories import MilestoneFactory
from tests.portfolio.factories import IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("late", "expected", "wrong"),
    [
        (1, "1 forsinket milepæl, ", "1 forsinkede"),
        (2, "2 forsinkede milepæle, ", "2 forsinket milepæl"),
    ],
)
def test_danish_dashboard_counts_overdue_milestones_in_singular_and_plural(
    clinic, leader, late, expected, wrong
):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, stage=Project.Stage.PILOT)
    for _index in range(late):
        MilestoneFactory(project=project, due_on=timezone.localdate() - datetime.timedelta(days=3))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(leader)

    page = client.get(reverse("portfolio:dashboard")).content.decode()

    assert expected in page
    assert wrong not in page


@pytest.mark.parametrize(
    ("answered", "expected", "wrong"),
    [(1, "for 1 idé indsendt", "1 idéer"), (2, "for 2 idéer indsendt", "2 idé ")],
)
def test_danish_response_time_counts_ideas_in_singular_and_plural(
    leader, staff_user, answered, expected, wrong
):
    now = timezone.now()
    for _index in range(answered):
        IdeaFactory(
            submitter=staff_user,
            status=Idea.Status.ACCEPTED,
            submitted_at=now - datetime.timedelta(days=3),
            first_response_at=now - datetime.timedelta(days=1),
        )
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    client.force_login(leader)

    page = client.get(reverse("portfolio:dashboard")).content.decode()

    assert expected in page
    assert wrong not in page
