import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinics.models import LeaderScope
from portfolio.models import Notification, Project, StageChange, StatusUpdate
from portfolio.services.challenges import challenge_create, challenge_update, challenge_version
from portfolio.services.projects import (
    project_change_stage,
    status_update_post,
    value_measurement_record,
)
from portfolio.services.reviews import idea_accept
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db


def test_stage_change_is_recorded_and_the_submitter_hears_of_it(staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    project = idea_accept(idea=idea, actor=leader)

    project_change_stage(
        project=project,
        to_stage=Project.Stage.PILOT,
        actor=leader,
        note="Pilot approved by the board",
        expected_stage=Project.Stage.CONCEPT,
    )

    project.refresh_from_db()
    assert project.stage == Project.Stage.PILOT
    change = StageChange.objects.filter(project=project).last()
    assert (change.from_stage, change.to_stage, change.decided_by) == ("concept", "pilot", leader)
    assert change.note == "Pilot approved by the board"
    assert Notification.objects.filter(recipient=staff_user, message__icontains="pilot").exists()


def test_a_stale_stage_form_does_not_overwrite(project, leader):
    project_change_stage(
        project=project, to_stage="development", actor=leader, note="Go", expected_stage="concept"
    )

    with pytest.raises(ValidationError) as excinfo:
        project_change_stage(
            project=project, to_stage="stopped", actor=leader, note="Stop", expected_stage="concept"
        )

    assert excinfo.value.code == "stale"
    project.refresh_from_db()
    assert project.stage == "development"
    assert project.stage_changes.count() == 1


@pytest.mark.parametrize(
    ("to_stage", "note"), [("concept", "Same"), ("development", "  "), ("nowhere", "x")]
)
def test_bad_stage_changes_are_refused(project, leader, to_stage, note):
    with pytest.raises(ValidationError):
        project_change_stage(
            project=project, to_stage=to_stage, actor=leader, note=note, expected_stage="concept"
        )

    assert not project.stage_changes.exists()


def test_ending_a_project_dates_it_and_reopening_clears_the_date(project, leader):
    project_change_stage(
        project=project, to_stage="completed", actor=leader, note="Done", expected_stage="concept"
    )
    project.refresh_from_db()
    assert project.ended_on == timezone.localdate()

    project_change_stage(
        project=project, to_stage="scale_up", actor=leader, note="More", expected_stage="completed"
    )
    project.refresh_from_db()
    assert project.ended_on is None


def test_status_update_sets_the_projects_health(project, leader):
    status_update_post(project=project, author=leader, health="at_risk", text="Supplier late")

    project.refresh_from_db()
    assert project.health == "at_risk"
    assert StatusUpdate.objects.get(project=project).text == "Supplier late"


def test_status_update_needs_text_and_a_valid_health(project, leader):
    with pytest.raises(ValidationError):
        status_update_post(project=project, author=leader, health="at_risk", text=" ")
    with pytest.raises(ValidationError):
        status_update_post(project=project, author=leader, health="great", text="Fine")

    project.refresh_from_db()
    assert project.health == "on_track"


def test_measurement_updates_the_latest_value_only_when_newer(project, leader):
    indicator = ValueIndicatorFactory(project=project)
    today = timezone.localdate()

    value_measurement_record(
        indicator=indicator, value=Decimal("7"), measured_on=today, recorded_by=leader
    )
    value_measurement_record(
        indicator=indicator,
        value=Decimal("9"),
        measured_on=today - datetime.timedelta(days=30),
        recorded_by=leader,
    )

    indicator.refresh_from_db()
    assert (indicator.latest_value, indicator.latest_measured_on) == (Decimal("7"), today)
    assert indicator.measurements.count() == 2


def test_measurement_in_the_future_is_refused(project, leader):
    indicator = ValueIndicatorFactory(project=project)

    with pytest.raises(ValidationError):
        value_measurement_record(
            indicator=indicator,
            value=Decimal("1"),
            measured_on=timezone.localdate() + datetime.timedelta(days=1),
            recorded_by=leader,
        )


def test_leader_posts_a_challenge_for_the_region(leader, region):
    challenge = challenge_create(
        actor=leader,
        region=region,
        clinic=None,
        title="Shorter waits",
        description="How?",
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
    )

    assert challenge.posted_by == leader
    assert challenge.clinic is None


def test_clinic_leader_cannot_post_for_the_whole_region_or_another_clinic(
    region, clinic, other_clinic
):
    limited = LeaderFactory(region=region, clinics=[clinic])
    assert not LeaderScope.objects.filter(leader=limited, clinic__isnull=True).exists()

    with pytest.raises(ValidationError):
        challenge_create(
            actor=limited, region=region, clinic=None, title="T", description="D", closes_on=None
        )
    with pytest.raises(ValidationError):
        challenge_create(
            actor=limited,
            region=region,
            clinic=other_clinic,
            title="T",
            description="D",
            closes_on=None,
        )
    challenge_create(
        actor=limited, region=region, clinic=clinic, title="T", description="D", closes_on=None
    )


def test_closing_date_in_the_past_is_refused(leader, region):
    with pytest.raises(ValidationError):
        challenge_create(
            actor=leader,
            region=region,
            clinic=None,
            title="T",
            description="D",
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_a_stale_challenge_edit_is_refused(leader, clinic):
    challenge = ChallengeFactory(clinic=clinic, posted_by=leader)
    version = challenge_version(challenge)
    fields = {
        "region": clinic.region,
        "clinic": clinic,
        "description": "D",
        "closes_on": challenge.closes_on,
    }
    challenge_update(
        challenge=challenge, actor=leader, expected_version=version, title="First", **fields
    )

    with pytest.raises(ValidationError):
        challenge_update(
            challenge=challenge, actor=leader, expected_version=version, title="Second", **fields
        )

    challenge.refresh_from_db()
    assert challenge.title == "First"
