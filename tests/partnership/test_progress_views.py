"""The progress roll-up on the pages and over the API: a steering leader chooses the mode
(versioned: 409 on a stale form), the bars say what has no progress, and the pages and lists
cost the same number of queries at two sizes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Milestone
from partnership.models import MilestoneWeight, ProgressSetting
from tests.partners.factories import MilestoneFactory

from .factories import phase_with_budgets, target_of

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def milestones(project):
    today = timezone.localdate()
    return [
        MilestoneFactory(project=project, progress=50, status=Milestone.Status.IN_PROGRESS),
        MilestoneFactory(project=project, progress=0, due_on=today + timedelta(days=30)),
    ]


def test_the_project_page_shows_the_value_and_what_is_missing(client, leader, project, milestones):
    client.force_login(leader)
    page = client.get(reverse("portfolio:project_detail", kwargs={"pk": project.pk}))
    text = page.content.decode()
    assert 'data-testid="project-rollup"' in text
    assert '<progress class="w-100" max="100" value="50"' in text
    assert "1 of 2 milestones without progress" in text
    assert reverse("partnership:project_progress", kwargs={"pk": project.pk}) in text


def test_a_leader_chooses_the_mode_and_weights(client, leader, project, milestones):
    client.force_login(leader)
    url = reverse("partnership:project_progress", kwargs={"pk": project.pk})
    first, second = milestones
    data = {"mode": "targets", "version": 0, f"weight_{first.pk}": 3, f"weight_{second.pk}": 1}
    assert client.post(url, data).status_code == 302
    setting = ProgressSetting.objects.get(project=project)
    assert setting.mode == "targets" and setting.version == 1
    assert MilestoneWeight.objects.get(milestone=first).weight == 3
    assert not MilestoneWeight.objects.filter(milestone=second).exists()  # 1 needs no row
    assert setting.history.first().history_user == leader

    # The same form again (version 0, loaded before the save): refused, the current shown.
    stale = client.post(url, {**data, "mode": "phase_budget"})
    assert stale.status_code == 409
    assert "Someone else changed this meanwhile" in stale.content.decode()
    assert 'data-testid="current-mode"' in stale.content.decode()
    assert ProgressSetting.objects.get(project=project).mode == "targets"

    # A weight out of range: the error next to the field.
    bad = client.post(url, {**data, "version": 1, f"weight_{first.pk}": 101})
    assert bad.status_code == 400
    assert MilestoneWeight.objects.get(milestone=first).weight == 3


def test_the_agreement_page_shows_phase_bars(
    client, leader, partner_user, partnership_agreement, phase, target
):
    url = reverse("partners:agreement_detail", kwargs={"pk": partnership_agreement.pk})
    for user in (leader, partner_user):
        client.force_login(user)
        text = client.get(url).content.decode()
        assert 'data-testid="agreement-rollup"' in text
        assert f'data-testid="progress-phase-rollup-{phase.pk}"' in text


def test_api_gives_progress_for_projects_and_phases(
    token_client, leader, project, milestones, phase, target
):
    client = token_client(leader)
    detail = client.get(reverse("api:project-detail", kwargs={"pk": project.pk})).json()
    assert detail["progress"] == {"mode": "milestones", "value": 50.0, "missing": 1, "total": 2}
    ProgressSetting.objects.create(project=project, mode="targets")
    rows = client.get(reverse("api:phase-list")).json()
    rows = rows.get("results", rows)
    (row,) = [r for r in rows if r["id"] == phase.pk]
    assert row["progress"] == {"mode": "targets", "value": None, "missing": 1, "total": 1}
    listed = client.get(reverse("api:project-list")).json()
    listed = listed.get("results", listed)
    assert [p["progress"]["mode"] for p in listed if p["id"] == project.pk] == ["targets"]


@pytest.mark.parametrize("mode", ["milestones", "targets", "phase_budget"])
def test_pages_cost_the_same_at_two_sizes(
    client, leader, project, partnership_agreement, partner_organisation, mode
):
    ProgressSetting.objects.create(project=project, mode=mode)
    client.force_login(leader)
    urls = [
        reverse("portfolio:project_detail", kwargs={"pk": project.pk}),
        reverse("partners:agreement_detail", kwargs={"pk": partnership_agreement.pk}),
        reverse("partnership:project_progress", kwargs={"pk": project.pk}),
    ]

    def grow(start, n):
        for number in range(start, start + n):
            phase = phase_with_budgets(
                partnership_agreement, number=number, ceilings={partner_organisation: "1000"}
            )
            target = target_of(phase, partner_organisation)
            target.milestones.add(MilestoneFactory(project=project, progress=number * 10))

    grow(1, 1)
    small = [_queries(client, url) for url in urls]
    grow(2, 5)
    assert [_queries(client, url) for url in urls] == small
