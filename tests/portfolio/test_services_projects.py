import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clinics.access import access_for
from clinics.models import LeaderScope
from core.models import Notification
from portfolio.access import project_can_steer
from portfolio.models import Challenge, Project, StageChange, StatusUpdate, gate_criteria_keys
from portfolio.services.challenges import challenge_create, challenge_update, challenge_version
from portfolio.services.projects import (
    project_change_stage,
    status_update_post,
    value_measurement_record,
)
from portfolio.services.reviews import idea_accept
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import (
    ChallengeFactory,
    IdeaFactory,
    ProjectFactory,
    ValueIndicatorFactory,
)

pytestmark = pytest.mark.django_db


def test_stage_change_is_recorded_and_the_submitter_hears_of_it(staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    project = idea_accept(idea=idea, actor=leader)

    project_change_stage(
        project=project,
        to_stage=Project.Stage.DEVELOPMENT,
        actor=leader,
        note="Development approved by the board",
        expected_version=project.version,
        criteria_met=gate_criteria_keys(Project.Stage.DEVELOPMENT),
    )

    project.refresh_from_db()
    assert project.stage == Project.Stage.DEVELOPMENT
    change = StageChange.objects.filter(project=project).last()
    assert (change.from_stage, change.to_stage, change.decided_by) == (
        "concept",
        "development",
        leader,
    )
    assert change.note == "Development approved by the board"
    assert change.criteria_met == gate_criteria_keys(Project.Stage.DEVELOPMENT)
    # In the submitter's language.
    assert Notification.objects.filter(
        recipient=staff_user, message__iregex="development|utveckling|udvikling"
    ).exists()


def test_a_stale_stage_form_does_not_overwrite(project, leader):
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )

    with pytest.raises(ValidationError) as excinfo:
        project_change_stage(
            project=project,
            to_stage="stopped",
            actor=leader,
            note="Stop",
            expected_version=project.version,
            criteria_met=gate_criteria_keys("stopped"),
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
            project=project,
            to_stage=to_stage,
            actor=leader,
            note=note,
            expected_version=project.version,
            criteria_met=gate_criteria_keys(to_stage),
        )

    assert not project.stage_changes.exists()


def _pass_gates(project, leader, *stages):
    for stage in stages:
        project_change_stage(
            project=project,
            to_stage=stage,
            actor=leader,
            note=f"Into {stage}",
            expected_version=project.version,
            criteria_met=gate_criteria_keys(stage),
        )
        project.refresh_from_db()


def test_ending_a_project_dates_it_and_no_gate_leads_on(project, leader):
    _pass_gates(project, leader, "development", "pilot", "implementation", "scale_up")
    assert project.ended_on is None
    _pass_gates(project, leader, "completed")
    assert project.ended_on == timezone.localdate()

    with pytest.raises(ValidationError) as excinfo:
        _pass_gates(project, leader, "scale_up")

    assert excinfo.value.error_dict["to_stage"][0].code == "not_next"


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [("concept", "pilot"), ("concept", "completed"), ("pilot", "development")],
)
def test_a_gate_that_skips_or_goes_back_is_refused_next_to_the_stage(
    project, leader, from_stage, to_stage
):
    project.stage = from_stage
    project.save()

    with pytest.raises(ValidationError) as excinfo:
        project_change_stage(
            project=project,
            to_stage=to_stage,
            actor=leader,
            note="Jump",
            expected_version=project.version,
            criteria_met=gate_criteria_keys(to_stage),
        )

    assert excinfo.value.error_dict["to_stage"][0].code == "not_next"
    assert not project.stage_changes.exists()


def test_a_project_may_be_stopped_from_any_active_stage(project, leader):
    _pass_gates(project, leader, "development", "pilot", "stopped")

    assert project.stage == "stopped"


def test_a_gate_with_a_criterion_unticked_is_refused(project, leader):
    with pytest.raises(ValidationError) as excinfo:
        project_change_stage(
            project=project,
            to_stage="development",
            actor=leader,
            note="Go",
            expected_version=project.version,
            criteria_met=gate_criteria_keys("development")[1:],
        )

    assert excinfo.value.error_dict["criteria"][0].code == "criteria"
    project.refresh_from_db()
    assert project.stage == "concept"


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


@pytest.fixture
def running_project(project):
    """A project that started a year ago, so it has a past to measure."""
    project.started_on = timezone.localdate() - datetime.timedelta(days=365)
    project.save()
    return project


def test_measurement_updates_the_latest_value_only_when_newer(running_project, leader):
    indicator = ValueIndicatorFactory(project=running_project)
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


@pytest.mark.parametrize(
    ("measured_on", "code"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "future"),
        (datetime.date(9999, 12, 31), "future"),
        (datetime.date(1, 1, 1), "before_start"),
        (timezone.localdate() - datetime.timedelta(days=366), "before_start"),
    ],
)
def test_measurement_outside_the_projects_life_is_refused(
    running_project, leader, measured_on, code
):
    indicator = ValueIndicatorFactory(project=running_project)

    with pytest.raises(ValidationError) as refused:
        value_measurement_record(
            indicator=indicator, value=Decimal("1"), measured_on=measured_on, recorded_by=leader
        )

    assert [error.code for error in refused.value.error_dict["measured_on"]] == [code]
    assert not indicator.measurements.exists()
    indicator.refresh_from_db()
    assert indicator.latest_value is None


def test_measurement_on_the_first_day_of_the_project_is_kept(running_project, leader):
    indicator = ValueIndicatorFactory(project=running_project)

    value_measurement_record(
        indicator=indicator,
        value=Decimal("4"),
        measured_on=running_project.started_on,
        recorded_by=leader,
    )

    assert indicator.measurements.get().measured_on == running_project.started_on


# --- Steering: only leaders of the lead clinic ---------------------------------------------


@pytest.fixture
def joint_project(leader, clinic, other_clinic):
    """Led by the other clinic; ``clinic`` takes part."""
    project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Joint")
    project.other_clinics.add(clinic)
    return project


@pytest.fixture
def clinic_leader(region, clinic):
    return LeaderFactory(username="clinic_leader", region=region, clinics=[clinic])


def test_project_can_steer(joint_project, project, leader, clinic_leader, other_region_leader):
    assert project_can_steer(access_for(leader), joint_project)
    assert project_can_steer(access_for(clinic_leader), project)
    # Sees the joint project (one of their clinics takes part) but does not lead it.
    assert Project.objects.visible_to(clinic_leader).filter(pk=joint_project.pk).exists()
    assert not project_can_steer(access_for(clinic_leader), joint_project)
    assert not project_can_steer(access_for(other_region_leader), project)


def test_steering_services_refuse_a_leader_who_does_not_lead_the_project(
    joint_project, clinic_leader
):
    indicator = ValueIndicatorFactory(project=joint_project)

    with pytest.raises(PermissionDenied):
        project_change_stage(
            project=joint_project,
            to_stage="development",
            actor=clinic_leader,
            note="Go",
            expected_version=joint_project.version,
        )
    with pytest.raises(PermissionDenied):
        status_update_post(
            project=joint_project, author=clinic_leader, health="off_track", text="Mine now"
        )
    with pytest.raises(PermissionDenied):
        value_measurement_record(
            indicator=indicator,
            value=Decimal("1"),
            measured_on=timezone.localdate(),
            recorded_by=clinic_leader,
        )

    joint_project.refresh_from_db()
    assert (joint_project.stage, joint_project.health) == ("concept", "on_track")
    assert not joint_project.status_updates.exists()
    assert not indicator.measurements.exists()


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


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_clinic_leader_cannot_post_for_the_whole_region_or_another_clinic(
    region, clinic, other_clinic, clinic_leader
):
    assert not LeaderScope.objects.filter(leader=clinic_leader, clinic__isnull=True).exists()
    fields = {
        "actor": clinic_leader,
        "region": region,
        "description": "D",
        "closes_on": _in_days(9),
    }

    with pytest.raises(ValidationError) as region_wide:
        challenge_create(clinic=None, title="T", **fields)
    with pytest.raises(ValidationError) as foreign:
        challenge_create(clinic=other_clinic, title="T", **fields)
    challenge_create(clinic=clinic, title="Mine", **fields)

    assert "clinic" in region_wide.value.error_dict
    assert "clinic" in foreign.value.error_dict
    assert list(Challenge.objects.values_list("title", flat=True)) == ["Mine"]


@pytest.mark.parametrize(
    ("closes_on", "code"), [(None, "required"), (_in_days(-1), "past")], ids=["none", "past"]
)
def test_a_new_challenge_needs_a_closing_date_from_today_on(leader, region, closes_on, code):
    with pytest.raises(ValidationError) as refused:
        challenge_create(
            actor=leader,
            region=region,
            clinic=None,
            title="T",
            description="D",
            closes_on=closes_on,
        )

    assert [error.code for error in refused.value.error_dict["closes_on"]] == [code]
    assert not Challenge.objects.exists()


def test_a_challenge_closing_today_is_accepted(leader, region):
    challenge = challenge_create(
        actor=leader, region=region, clinic=None, title="T", description="D", closes_on=_in_days(0)
    )

    assert challenge.closes_on == timezone.localdate()


def _update(challenge, actor, **changes):
    fields = {
        "region": challenge.region,
        "clinic": challenge.clinic,
        "title": challenge.title,
        "description": challenge.description,
        "closes_on": challenge.closes_on,
        **changes,
    }
    return challenge_update(
        challenge=challenge,
        actor=actor,
        expected_version=challenge_version(challenge),
        **fields,
    )


def test_a_clinic_leader_cannot_edit_a_region_wide_challenge(region, leader, clinic_leader):
    challenge = ChallengeFactory(clinic=None, region=region, posted_by=leader, title="Region's")

    with pytest.raises(PermissionDenied):
        _update(challenge, clinic_leader, title="Taken over")
    # Not even by moving it to their own clinic.
    with pytest.raises(PermissionDenied):
        _update(challenge, clinic_leader, clinic=clinic_leader.leader_scopes.get().clinic)

    challenge.refresh_from_db()
    assert (challenge.title, challenge.clinic) == ("Region's", None)
    # The leader of the whole region may.
    assert _update(challenge, leader, title="Renamed").title == "Renamed"


def test_a_clinic_leader_cannot_make_their_challenge_region_wide(clinic, clinic_leader):
    challenge = ChallengeFactory(clinic=clinic, posted_by=clinic_leader, title="Ours")

    with pytest.raises(ValidationError) as refused:
        _update(challenge, clinic_leader, clinic=None)

    assert "clinic" in refused.value.error_dict
    challenge.refresh_from_db()
    assert challenge.clinic == clinic
    assert _update(challenge, clinic_leader, title="Still ours").title == "Still ours"


def test_a_leader_of_another_clinic_cannot_edit_a_clinics_challenge(region, clinic, other_clinic):
    challenge = ChallengeFactory(clinic=clinic, title="Idun's")
    other = LeaderFactory(region=region, clinics=[other_clinic])

    with pytest.raises(PermissionDenied):
        _update(challenge, other, clinic=other_clinic)

    challenge.refresh_from_db()
    assert challenge.clinic == clinic


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
