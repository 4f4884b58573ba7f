"""Schema-driven fuzzing (schemathesis) of every API operation, as a leader and as a partner.

Cases are generated from the OpenAPI schema the API serves and sent to the Django WSGI app with
each person's token; no answer may be a server error or break the schema. A bounded, seeded
number of examples per operation keeps the run short and repeatable.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from api.services import api_token_create
from tests.partners.factories import MilestoneFactory
from tests.portfolio.factories import IdeaFactory, ThemeFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app(settings, monkeypatch):
    """Django's own WSGI app inside the test's transaction, as the test client runs it: the
    per-request connection clean-up would close the connection of the open transaction."""
    settings.ALLOWED_HOSTS = ["*"]
    rates = {"anon": "100000/minute", "user": "100000/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing_ids(project, partner_organisation, agreement, staff_user, clinic):
    """A little of everything, and the id the leader and the partner can open of each kind:
    detail and write operations are fuzzed on these as well as on random ids."""
    project.themes.add(ThemeFactory())
    ValueIndicatorFactory(project=project)
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    return {
        "/api/v1/projects/{id}/": project.pk,
        "/api/v1/milestones/{id}/": milestone.pk,
        "/api/v1/milestones/{id}/progress/": milestone.pk,
        "/api/v1/agreements/{id}/": agreement.pk,
        "/api/v1/ideas/{id}/": idea.pk,
        "/api/v1/clinics/{id}/": clinic.pk,
        "/api/v1/regions/{id}/": clinic.region_id,
    }


def test_fuzz_the_api_against_its_schema(wsgi_app, existing_ids, leader, partner_user):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    people = {
        "leader": {"Authorization": f"Token {api_token_create(user=leader).key}"},
        "partner": {"Authorization": f"Token {api_token_create(user=partner_user).key}"},
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13  # 6 lists, 6 details, the milestone progress report

    runs = [
        (operation, mode, path_parameters)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for path_parameters in (
            [None, {"id": existing_ids[operation.path]}]
            if operation.path in existing_ids
            else [None]
        )
        # With the id fixed, a GET has nothing left to make invalid.
        if not (path_parameters and mode == GenerationMode.NEGATIVE and operation.method == "get")
    ]
    for operation, mode, path_parameters in runs:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            for headers in people.values():
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

        run()
