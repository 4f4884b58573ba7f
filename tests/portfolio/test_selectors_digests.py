import pytest

from insights.selectors.digests import _scope_ids
from portfolio.models import Project
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_digest_scope_is_exactly_the_portfolio_access_rule(
    region, clinic, other_clinic, foreign_clinic, leader, other_region_leader
):
    clinic_leader = LeaderFactory(region=region, clinics=[other_clinic])
    ProjectFactory(lead_clinic=clinic, owner=leader)
    joined = ProjectFactory(lead_clinic=foreign_clinic, owner=other_region_leader)
    joined.other_clinics.add(other_clinic)
    ProjectFactory(lead_clinic=other_clinic, owner=clinic_leader)
    ProjectFactory(lead_clinic=foreign_clinic, owner=other_region_leader)

    for person in (leader, clinic_leader, other_region_leader):
        _clinics, projects = _scope_ids(person)
        expected = set(Project.objects.visible_to(person).values_list("pk", flat=True))
        assert set(projects) == expected, person.username
        assert expected
