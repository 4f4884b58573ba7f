"""The demo's adoptions (demo/seed_adoptions.py): in each region one project adopted,
piloted, abandoned and planned across clinics, measured where it runs, with one scale-up
decision; seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from evidence.models import Adoption, ClinicMeasurement, ScaleDecision
from evidence.selectors import project_comparison

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)


def test_each_region_has_a_project_across_clinics_and_seeding_twice_is_a_no_op():
    _seed()
    counts = (
        Adoption.objects.count(),
        ClinicMeasurement.objects.count(),
        ScaleDecision.objects.count(),
    )
    for slug in ("vasterbotten", "midtjylland"):
        adoptions = Adoption.objects.filter(project__lead_clinic__region__slug=slug)
        assert set(adoptions.values_list("status", flat=True)) == set(Adoption.Status.values)
        assert adoptions.values("project").distinct().count() == 1
        project = adoptions.first().project
        assert ScaleDecision.objects.filter(project=project, outcome="scale_up").count() == 1
        rows = [row for c in project_comparison(project) for row in c.rows]
        assert any(row.status == "adopted" and row.progress for row in rows)

    _seed()
    assert counts == (
        Adoption.objects.count(),
        ClinicMeasurement.objects.count(),
        ScaleDecision.objects.count(),
    )
