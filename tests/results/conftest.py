"""Fixtures of the public results tests: the shared roles and one published result of
``project`` (region Västerbotten, Swedish) with a partner organisation and an indicator."""

import pytest

from tests.portfolio.factories import ValueIndicatorFactory

from .factories import publication_of


@pytest.fixture
def indicator(project):
    return ValueIndicatorFactory(
        project=project, name="Days to first assessment", unit="days", baseline=10, target=5
    )


@pytest.fixture
def publication(project, agreement, indicator):
    return publication_of(project, indicators=[indicator], title="Same-day dental triage")
