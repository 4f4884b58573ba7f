"""Region administrators: ``region_admin`` administers region A (``region``),
``other_region_admin`` region B (``other_region``)."""

import pytest

from clinics.models import LeaderScope
from tests.clinics.factories import LeaderFactory


def make_region_admin(region, username):
    # English pages, so that tests read the messages as written in the code.
    person = LeaderFactory(username=username, region=region, preferred_language="en")
    LeaderScope.objects.filter(leader=person).update(administers_region=True)
    return person


@pytest.fixture
def region_admin(region):
    return make_region_admin(region, "region_admin")


@pytest.fixture
def other_region_admin(other_region):
    return make_region_admin(other_region, "region_admin_other")
