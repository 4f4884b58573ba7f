"""The adoption services: who may, what they check (bad input, stale versions, dates), what
a scale-up decision records, plans and tells."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Notification
from evidence.models import Adoption, ClinicMeasurement, ScaleDecision
from evidence.selectors import adoptions_summary
from evidence.services.adoptions import adoption_create, adoption_update
from evidence.services.decisions import scale_decide
from evidence.services.measurements import clinic_measurement_record
from portfolio.models import Project
from tests.clinics.factories import ClinicFactory, LeaderFactory, StaffFactory
from tests.portfolio.factories import ProjectFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def _update(adoption, actor, **changes):
    values = {
        "status": adoption.status,
        "planned_start_on": adoption.planned_start_on,
        "started_on": adoption.started_on,
        "adopted_on": adoption.adopted_on,
        "abandoned_on": adoption.abandoned_on,
        "abandon_reason": adoption.abandon_reason,
        **changes,
    }
    return adoption_update(
        adoption=adoption, actor=actor, expected_version=adoption.version, **values
    )


# --- Adoptions -----------------------------------------------------------------------------------
def test_a_steering_leader_plans_an_adoption_and_the_clinic_joins_the_project(
    started_project, other_clinic, leader, other_clinic_staff
):
    adoption = adoption_create(project=started_project, clinic=other_clinic, actor=leader)

    assert adoption.status == Adoption.Status.PLANNED
    assert other_clinic in started_project.other_clinics.all()
    # The adopting clinic's staff now read the project by the usual rules.
    assert Project.objects.visible_to(other_clinic_staff).filter(pk=started_project.pk).exists()
    assert adoption.history.first().history_user == leader


def test_only_steering_leaders_plan(started_project, other_clinic, staff_user, partner_user):
    clinic_leader = LeaderFactory(region=other_clinic.region, clinics=[other_clinic])
    for actor in (staff_user, partner_user, clinic_leader):
        with pytest.raises(PermissionDenied):
            adoption_create(project=started_project, clinic=other_clinic, actor=actor)


def test_the_pilot_a_foreign_clinic_and_a_second_adoption_are_refused(
    started_project, clinic, other_clinic, foreign_clinic, leader
):
    for bad in (clinic, foreign_clinic):
        with pytest.raises(ValidationError) as error:
            adoption_create(project=started_project, clinic=bad, actor=leader)
        assert "clinic" in error.value.message_dict
    adoption_create(project=started_project, clinic=other_clinic, actor=leader)
    with pytest.raises(ValidationError) as error:
        adoption_create(project=started_project, clinic=other_clinic, actor=leader)
    assert "clinic" in error.value.message_dict


def test_the_adopting_clinics_leader_updates_their_adoption(adoption, other_clinic):
    clinic_leader = LeaderFactory(region=other_clinic.region, clinics=[other_clinic])
    adoption = _update(adoption, clinic_leader, status="adopted", adopted_on=_days_ago(1))
    assert adoption.status == "adopted" and adoption.version == 2


def test_a_leader_of_another_clinic_does_not(adoption, clinic):
    lead_only = LeaderFactory(region=clinic.region, clinics=[ClinicFactory(region=clinic.region)])
    with pytest.raises(PermissionDenied):
        _update(adoption, lead_only, status="adopted", adopted_on=_days_ago(1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "abandoned", "abandoned_on": None, "abandon_reason": "x"}, "abandoned_on"),
        (
            {"status": "abandoned", "abandoned_on": "today", "abandon_reason": "  "},
            "abandon_reason",
        ),
        ({"status": "adopted", "adopted_on": None}, "adopted_on"),
        ({"status": "piloting", "started_on": None}, "started_on"),
        ({"started_on": "future"}, "started_on"),
        ({"started_on": "before project"}, "started_on"),
        ({"status": "adopted", "adopted_on": "before start"}, "__all__"),
    ],
)
def test_bad_dates_and_missing_reasons_are_refused(adoption, leader, changes, field):
    dates = {
        "today": TODAY(),
        "future": TODAY() + datetime.timedelta(days=1),
        "before project": _days_ago(400),
        "before start": _days_ago(150),
    }
    changes = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as error:
        _update(adoption, leader, **changes)
    assert field in error.value.message_dict


def test_a_stale_version_is_refused(adoption, leader):
    _update(adoption, leader, status="adopted", adopted_on=_days_ago(1))
    with pytest.raises(ValidationError) as error:
        _update(adoption, leader, status="abandoned", abandoned_on=TODAY(), abandon_reason="No")
    assert error.value.code == "stale"
    adoption.refresh_from_db()
    assert adoption.status == "adopted"


def test_the_database_holds_the_invariants(started_project, other_clinic):
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.create(
            project=started_project, clinic=other_clinic, status="abandoned", abandoned_on=TODAY()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.create(project=started_project, clinic=other_clinic, status="piloting")
    with pytest.raises(ValidationError):
        Adoption(
            project=started_project, clinic=other_clinic, status="adopted", started_on=TODAY()
        ).full_clean()


# --- Clinic measurements -------------------------------------------------------------------------
def test_a_measurement_is_recorded_with_the_portfolios_rules(adoption, indicator, leader):
    measurement = clinic_measurement_record(
        adoption=adoption,
        indicator=indicator,
        value=Decimal("15"),
        measured_on=_days_ago(10),
        actor=leader,
    )
    assert measurement.recorded_by == leader
    indicator.refresh_from_db()
    assert indicator.latest_value is None  # the project's own (the pilot's) figure is untouched


@pytest.mark.parametrize(
    ("measured_on", "code"),
    [(-1, "future"), (150, "before_start"), (400, "before_start")],
)
def test_bad_measurement_dates(adoption, indicator, leader, measured_on, code):
    with pytest.raises(ValidationError) as error:
        clinic_measurement_record(
            adoption=adoption,
            indicator=indicator,
            value=Decimal("1"),
            measured_on=_days_ago(measured_on),
            actor=leader,
        )
    assert error.value.error_dict["measured_on"][0].code == code


def test_no_measurement_of_a_retired_or_foreign_indicator_or_a_planned_adoption(
    adoption, indicator, leader
):
    other_project = ProjectFactory(lead_clinic=adoption.project.lead_clinic)
    foreign = ValueIndicatorFactory(project=other_project)
    retired = ValueIndicatorFactory(project=adoption.project, retired_at=timezone.now())
    for bad in (foreign, retired):
        with pytest.raises(ValidationError) as error:
            clinic_measurement_record(
                adoption=adoption, indicator=bad, value=1, measured_on=TODAY(), actor=leader
            )
        assert "indicator" in error.value.message_dict
    Adoption.objects.filter(pk=adoption.pk).update(status="planned")
    with pytest.raises(ValidationError):
        clinic_measurement_record(
            adoption=adoption, indicator=indicator, value=1, measured_on=TODAY(), actor=leader
        )
    assert not ClinicMeasurement.objects.exists()


def test_staff_record_no_measurement(adoption, indicator, other_clinic_staff):
    with pytest.raises(PermissionDenied):
        clinic_measurement_record(
            adoption=adoption,
            indicator=indicator,
            value=1,
            measured_on=TODAY(),
            actor=other_clinic_staff,
        )


# --- Scale-up decisions --------------------------------------------------------------------------
def test_scaling_up_plans_adoptions_stores_the_evidence_and_notifies(
    adoption, indicator, leader, other_clinic, clinic
):
    new_clinic = ClinicFactory(region=clinic.region, name="Vårdcentral Norr")
    team_member = StaffFactory(clinic=clinic)
    from portfolio.models import ProjectMember

    ProjectMember.objects.create(
        project=adoption.project, user=team_member, accepted_at=timezone.now()
    )
    clinic_measurement_record(
        adoption=adoption,
        indicator=indicator,
        value=Decimal("14"),
        measured_on=TODAY(),
        actor=leader,
    )

    decision = scale_decide(
        project=adoption.project,
        actor=leader,
        outcome="scale_up",
        note="Works in both.",
        clinics=[other_clinic, new_clinic],
    )

    assert set(decision.clinics.all()) == {other_clinic, new_clinic}
    planned = Adoption.objects.get(project=adoption.project, clinic=new_clinic)
    assert planned.status == "planned"
    assert Adoption.objects.get(pk=adoption.pk).status == "piloting"  # kept as it was
    rows = decision.evidence["indicators"][0]["clinics"]
    assert [r["clinic"] for r in rows] == [clinic.name, other_clinic.name]
    assert rows[1]["latest"] == "14.00" and rows[1]["progress"] == "60.0"
    assert Notification.objects.filter(recipient=team_member).count() == 1
    assert not Notification.objects.filter(recipient=leader).exists()


@pytest.mark.parametrize(
    ("outcome", "clinics", "note", "field"),
    [
        ("scale_up", [], "Note", "clinics"),
        ("scale_up", ["lead"], "Note", "clinics"),
        ("scale_up", ["foreign"], "Note", "clinics"),
        ("phase_out", ["other"], "Note", "clinics"),
        ("continue", [], "   ", "note"),
        ("stop", [], "Note", "outcome"),
    ],
)
def test_bad_decisions_are_refused(
    started_project, leader, clinic, other_clinic, foreign_clinic, outcome, clinics, note, field
):
    named = {"lead": clinic, "other": other_clinic, "foreign": foreign_clinic}
    with pytest.raises(ValidationError) as error:
        scale_decide(
            project=started_project,
            actor=leader,
            outcome=outcome,
            note=note,
            clinics=[named[c] for c in clinics],
        )
    assert field in error.value.message_dict
    assert not ScaleDecision.objects.exists()


def test_a_decision_is_final_and_corrected_by_a_new_one(started_project, leader):
    first = scale_decide(project=started_project, actor=leader, outcome="continue", note="More")
    with pytest.raises(ValidationError) as error:
        scale_decide(project=started_project, actor=leader, outcome="phase_out", note="No")
    assert error.value.code == "decided"
    second = scale_decide(
        project=started_project, actor=leader, outcome="phase_out", note="No", corrects=first
    )
    with pytest.raises(ValidationError) as error:
        scale_decide(
            project=started_project, actor=leader, outcome="continue", note="X", corrects=first
        )
    assert error.value.code == "stale"
    assert list(ScaleDecision.objects.in_force()) == [second]


def test_only_steering_leaders_decide(started_project, staff_user, other_clinic):
    clinic_leader = LeaderFactory(region=other_clinic.region, clinics=[other_clinic])
    for actor in (staff_user, clinic_leader):
        with pytest.raises(PermissionDenied):
            scale_decide(project=started_project, actor=actor, outcome="continue", note="N")


# --- The summary for the dashboard and the board report -----------------------------------------
def test_adoptions_summary_counts_what_the_reader_may_read(
    adoption, leader, other_region_leader, foreign_clinic
):
    foreign = ProjectFactory(lead_clinic=foreign_clinic)
    Adoption.objects.create(
        project=foreign, clinic=ClinicFactory(region=foreign_clinic.region), status="planned"
    )
    projects = Project.objects.all()
    assert adoptions_summary(leader, projects) == {
        "planned": 0,
        "piloting": 1,
        "adopted": 0,
        "abandoned": 0,
    }
    assert adoptions_summary(other_region_leader, projects)["planned"] == 1
    assert adoptions_summary(other_region_leader, projects)["piloting"] == 0
