"""The benefits register: services and validation, the stale edit (409), the permission matrix
of its pages, the follow-up period, the digest's reminder to the owner and the summary."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Benefit, BenefitReview, Project, ValueIndicator
from portfolio.selectors.benefits import benefits_summary, project_follow_up
from portfolio.services.benefits import benefit_create, benefit_review_record, benefit_update
from tests.access_world import ROLES, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _fields(owner, **changes):
    return {
        "title": "Fewer return visits",
        "description": "",
        "dimension": ValueIndicator.Dimension.ECONOMY,
        "cash_releasing": True,
        "owner": owner,
        "expected_yearly_amount": Decimal("250000.00"),
        "currency": "SEK",
        "follow_up_months": 12,
        "next_review_on": None,
        **changes,
    }


@pytest.fixture
def benefit(project, leader):
    return benefit_create(project=project, actor=leader, **_fields(leader))


def test_create_update_review_and_history(benefit, leader, project):
    benefit = benefit_update(
        benefit=benefit,
        actor=leader,
        expected_version=benefit.version,
        **_fields(leader, expected_yearly_amount=Decimal("300000")),
    )
    assert benefit.version == 2
    review = benefit_review_record(
        benefit=benefit,
        actor=leader,
        expected_version=benefit.version,
        reviewed_on=timezone.localdate(),
        realised_yearly_amount=Decimal("120000.50"),
        note="First year",
        next_review_on=timezone.localdate() + timedelta(days=180),
    )
    assert review.realised_yearly_amount == Decimal("120000.50")
    assert Benefit.history.filter(id=benefit.pk).first().history_user == leader
    summary = benefits_summary(leader)
    assert summary[0]["expected"] == Decimal("300000") and summary[0]["realised"] == Decimal(
        "120000.50"
    )


def test_stale_edit_is_refused(benefit, leader):
    with pytest.raises(ValidationError) as error:
        benefit_update(
            benefit=benefit, actor=leader, expected_version=benefit.version + 5, **_fields(leader)
        )
    assert "stale" in str(
        error.value.error_dict if hasattr(error.value, "error_dict") else error.value.code
    )


def test_validation(benefit, leader, partner_user, project):
    with pytest.raises(ValidationError):
        benefit_create(project=project, actor=leader, **_fields(partner_user))
    with pytest.raises(ValidationError):
        benefit_create(project=project, actor=leader, **_fields(leader, follow_up_months=0))
    with pytest.raises(ValidationError):
        benefit_review_record(
            benefit=benefit,
            actor=leader,
            expected_version=benefit.version,
            reviewed_on=timezone.localdate() + timedelta(days=1),
            realised_yearly_amount=Decimal(1),
            note="",
            next_review_on=None,
        )


def test_database_refuses_negative_amounts(benefit):
    with pytest.raises(IntegrityError):
        BenefitReview.objects.create(
            benefit=benefit, reviewed_on=date(2026, 1, 1), realised_yearly_amount=Decimal(-1)
        )


def test_only_steering_leaders_write(project, staff_user, other_region_leader):
    for person in (staff_user, other_region_leader):
        with pytest.raises(PermissionDenied):
            benefit_create(project=project, actor=person, **_fields(person))


def test_follow_up_until_and_measured(benefit, project, leader):
    Project.objects.filter(pk=project.pk).update(
        stage=Project.Stage.COMPLETED, started_on=date(2025, 1, 1), ended_on=date(2026, 1, 31)
    )
    project.refresh_from_db()
    [row] = project_follow_up(project, [benefit])
    assert row["until"] == date(2027, 1, 31)
    assert row["measurements"] == 0 and not row["complete"]


def test_stale_form_answers_409(client, benefit, leader, project):
    client.force_login(leader)
    url = reverse("portfolio:benefit_edit", args=[project.pk, benefit.pk])
    data = {
        "title": "Changed",
        "dimension": "economy",
        "owner": leader.pk,
        "expected_yearly_amount": "1",
        "currency": "SEK",
        "follow_up_months": "12",
        "version": str(benefit.version + 1),
    }
    assert client.post(url, data).status_code == 409
    data["version"] = str(benefit.version)
    assert client.post(url, data).status_code == 302
    bad = {**data, "version": str(benefit.version + 1), "expected_yearly_amount": "-3"}
    assert client.post(url, bad).status_code == 400


# Who gets what on the register's pages: readers of the project (the region's people) read;
# the leaders who steer it write; partner users and outsiders get 404.
EXPECTED = {
    "anonymous": (302, 302),
    "staff_user": (200, 403),
    "other_clinic_staff": (404, 404),
    "leader": (200, 200),
    "clinic_leader": (404, 404),
    "other_region_leader": (404, 404),
    "partner_user": (404, 404),
    "other_partner_user": (404, 404),
    "admin_user": (200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "create", "edit", "review"])
def test_permission_matrix(client, world, benefit, project, role, page):
    person = world.people[role]
    if role != "anonymous":
        client.force_login(person)
    read, write = EXPECTED[role]
    urls = {
        "list": reverse("portfolio:benefit_list", args=[project.pk]),
        "create": reverse("portfolio:benefit_create", args=[project.pk]),
        "edit": reverse("portfolio:benefit_edit", args=[project.pk, benefit.pk]),
        "review": reverse("portfolio:benefit_review", args=[project.pk, benefit.pk]),
    }
    expected = read if page == "list" else write
    response = client.get(urls[page])
    assert response.status_code == expected, (role, page, response.status_code)
    if page != "list":
        assert client.post(urls[page], {}).status_code in ({200: 400}.get(expected, expected),)
