"""Fixtures of the adoption tests: the shared project (piloted in ``clinic``, steered by
``leader``) with one indicator, taken up by ``other_clinic`` (piloting)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evidence.models import Adoption
from tests.api.conftest import token_client  # noqa: F401 - fixture of the API tests
from tests.portfolio.factories import ValueIndicatorFactory


@pytest.fixture
def started_project(project):
    project.started_on = timezone.localdate() - datetime.timedelta(days=200)
    project.save()
    return project


@pytest.fixture
def indicator(started_project):
    # Lower is better: waiting days from 20 to 10.
    return ValueIndicatorFactory(
        project=started_project, name="Waiting days", baseline=Decimal("20"), target=Decimal("10")
    )


@pytest.fixture
def adoption(started_project, other_clinic):
    adoption = Adoption.objects.create(
        project=started_project,
        clinic=other_clinic,
        status=Adoption.Status.PILOTING,
        started_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    started_project.other_clinics.add(other_clinic)
    return adoption
