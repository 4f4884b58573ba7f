"""The dashboard page with its "Partners needing action" block: the whole page runs the same
number of queries at two data sizes, also once every needing-action list is longer than it
shows (the counts come with the lists, not from queries of their own)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.engagement import NEEDING_ACTION_LIMIT, needing_action
from tests.partners.test_engagement import _grow

pytestmark = pytest.mark.django_db


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="needing-action"' in response.content.decode()
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("cache_seconds", [0, 300])
def test_the_whole_dashboard_page_runs_as_many_queries_with_more_data(
    client, leader, clinic, settings, cache_seconds
):
    settings.DASHBOARD_CACHE_SECONDS = cache_seconds
    client.force_login(leader)
    url = reverse("portfolio:dashboard")
    _grow(leader, clinic, 2)
    client.get(url)
    small = _page_queries(client, url)

    # More of everything than the block lists: each list and its count still one query.
    _grow(leader, clinic, NEEDING_ACTION_LIMIT + 3)
    client.get(url)
    large = _page_queries(client, url)

    assert len(small) == len(large), "\n".join(large)
    result = needing_action(leader)
    assert result.inactive_count == NEEDING_ACTION_LIMIT + 5
    assert len(result.inactive) == NEEDING_ACTION_LIMIT
    assert result.invitations_count == result.blocked_count == NEEDING_ACTION_LIMIT + 5
