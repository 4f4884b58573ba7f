"""Editing an interim target: while it is not assessed, versioned (409 on stale), in its
history, its links kept to the project's milestones."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnership.models import InterimTarget
from partnership.services.phases import target_assess
from partnership.services.targets import target_edit
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def _edit(target, actor, version, **overrides):
    fields = {
        "description": "Prototype tested with twelve patients",
        "due_on": date(2026, 5, 1),
        "performance_level": "10 of 12",
        "milestones": [],
        "indicators": [],
    }
    fields.update(overrides)
    return target_edit(target=target, actor=actor, expected_version=version, **fields)


def test_a_steering_leader_edits_an_open_target(target, leader, partner_milestone):
    edited = _edit(target, leader, target.version, milestones=[partner_milestone])
    assert edited.description == "Prototype tested with twelve patients"
    assert edited.version == target.version + 1
    assert list(edited.milestones.all()) == [partner_milestone]
    assert edited.history.first().history_user == leader


def test_a_stale_edit_is_refused(target, leader):
    _edit(target, leader, target.version)
    with pytest.raises(ValidationError) as caught:
        _edit(target, leader, target.version, description="Other")
    assert caught.value.code == "stale"
    assert InterimTarget.objects.get(pk=target.pk).description != "Other"


def test_an_assessed_target_is_not_edited(target, leader):
    target_assess(target=target, actor=leader, expected_version=target.version, status="met")
    target.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        _edit(target, leader, target.version)
    assert caught.value.code == "assessed"


def test_milestones_of_another_project_are_refused(target, leader):
    with pytest.raises(ValidationError) as caught:
        _edit(target, leader, target.version, milestones=[MilestoneFactory()])
    assert "milestones" in caught.value.error_dict


def test_partners_do_not_edit(target, partner_user):
    with pytest.raises(PermissionDenied):
        _edit(target, partner_user, target.version)


def test_the_page_answers_409_with_the_current_values(client, target, leader):
    client.force_login(leader)
    url = reverse("partnership:target_edit", kwargs={"pk": target.pk})
    assert client.get(url).status_code == 200
    data = {
        "description": "First save",
        "due_on": "2026-05-01",
        "performance_level": "8 of 10",
        "version": target.version,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "description": "Second save"})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert 'data-testid="current-target"' in text and "First save" in text
    assert InterimTarget.objects.get(pk=target.pk).description == "First save"
    bad = client.post(url, {**data, "due_on": "not a date", "version": target.version + 1})
    assert bad.status_code == 400
