"""Permission matrix of every leader URL, generated from ``portfolio.urls_leader`` and
``insights.urls``.

role × URL (× object of the world) × GET/POST → expected status, and for a POST whether it
changed anything. Every named URL of ``urls_leader`` must have an entry in ``EXPECTED``: a URL
added without one fails ``test_matrix`` (and ``test_every_leader_url_has_expectations``).

The world (tests/conftest.py): region A with clinics A1 (``clinic``) and A2 (``other_clinic``);
region B with ``foreign_clinic``. ``leader`` leads all of region A, ``clinic_leader`` only A1,
``other_region_leader`` all of region B. ``project`` is led by A1 (``partner_user``'s
organisation is a party); ``joint_project`` is led by A2 with A1 taking part.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from insights import urls as insights_urls
from portfolio import urls_leader
from portfolio.models import Challenge, Idea, Project, ProjectMember, gate_criteria_keys
from portfolio.services.challenges import challenge_version
from tests.clinics.factories import LeaderFactory
from tests.downloads import csv_rows, csv_text
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "clinic_leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
    "admin_user",
)
# A superuser holds every leader's right in every region (clinics.access): a leader's column.
LEADERS = ("leader", "clinic_leader", "other_region_leader", "admin_user")


@pytest.fixture
def clinic_leader(region, clinic):
    return LeaderFactory(username="clinic_leader", region=region, clinics=[clinic])


@pytest.fixture
def world(
    staff_user, other_clinic_staff, project, agreement, clinic, other_clinic, foreign_clinic, leader
):
    joint_project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Joint triage")
    joint_project.other_clinics.add(clinic)
    from portfolio.models import ProjectMember

    return {
        "staff": staff_user,
        # staff_user's request to join ``project`` (led by A1), waiting for a steering leader.
        "request_to_join": ProjectMember.objects.create(project=project, user=staff_user),
        "region": clinic.region,
        "clinic": clinic,
        "project": project,
        "joint_project": joint_project,
        "foreign_project": ProjectFactory(lead_clinic=foreign_clinic, title="Akut sepsis alarm"),
        "idea": IdeaFactory(submitter=staff_user, submitted=True),
        "other_idea": IdeaFactory(submitter=other_clinic_staff, submitted=True),
        "challenge": ChallengeFactory(clinic=clinic, posted_by=leader, title="Idun's need"),
        "region_challenge": ChallengeFactory(
            clinic=None, region=clinic.region, posted_by=leader, title="The region's need"
        ),
    }


def expect(**statuses: int) -> dict[str, int]:
    """Non-leaders are refused (anonymous: to the login page); every role must be given."""
    table = dict.fromkeys(ROLES, 403) | {"anonymous": 302} | statuses
    assert set(table) == set(ROLES), statuses
    return table


def leaders(status: int, **others: int) -> dict[str, int]:
    return expect(**(dict.fromkeys(LEADERS, status) | others))


# --- what each POST sends, and whether it did anything ---------------------------------------


def _accept(key):
    return lambda w: {"action": "accept", "title": "Accepted", "note": "Go"}


def _idea_accepted(key):
    return lambda w: Idea.objects.get(pk=w[key].pk).status == Idea.Status.ACCEPTED


def _stage(key):
    return lambda w: {
        "action": "stage",
        "to_stage": "development",
        "criteria": [f"development:{key}" for key in gate_criteria_keys("development")],
        "note": "Go",
        "version": Project.objects.get(pk=w[key].pk).version,
    }


def _moved(key):
    return lambda w: Project.objects.get(pk=w[key].pk).stage == "development"


def _new_challenge(region_wide: bool):
    def data(w):
        return {
            "title": "Posted in the matrix",
            "description": "D",
            "region": w["region"].pk,
            "clinic": "" if region_wide else w["clinic"].pk,
            "closes_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        }

    return data


def _posted(w):
    return Challenge.objects.filter(title="Posted in the matrix").exists()


def _edit(key):
    def data(w):
        challenge = w[key]
        return {
            "title": "Edited in the matrix",
            "description": challenge.description,
            "region": challenge.region_id,
            "clinic": challenge.clinic_id or "",
            "closes_on": challenge.closes_on.isoformat(),
            "version": challenge_version(challenge),
        }

    return data


def _edited(key):
    return lambda w: Challenge.objects.get(pk=w[key].pk).title == "Edited in the matrix"


def _join_requested(key):
    return lambda w: ProjectMember.objects.filter(project=w[key]).exists()


def _add_staff(w):
    return {"user": w["staff"].pk, "role": "member"}


def _staff_added(key):
    return lambda w: ProjectMember.objects.filter(
        project=w[key], user=w["staff"], accepted_at__isnull=False
    ).exists()


@dataclass(frozen=True)
class Case:
    """One URL with one object of the world (``key``, or none), read and written."""

    get: dict[str, int]
    post: dict[str, int]
    key: str | None = None
    data: Callable | None = None  # the POST body; None: the page takes no POST (405 for leaders)
    changed: Callable | None = None  # did the POST do anything?
    args: Callable | None = None  # the URL's arguments, when not just the object's id


# Pages without an object: every leader reads their own (a leader of region B sees B's
# portfolio, empty of A's); they take GET only.
LIST_PAGE = [Case(get=leaders(200), post=leaders(405))]

EXPECTED: dict[str, list[Case]] = {
    "dashboard": LIST_PAGE,
    "export_csv": LIST_PAGE,
    "export_xlsx": LIST_PAGE,
    "export_innovation_time_csv": LIST_PAGE,
    "export_innovation_time_xlsx": LIST_PAGE,
    "review_queue": LIST_PAGE,
    "leader_challenges": LIST_PAGE,
    "review_idea": [
        Case(
            key="idea",  # of clinic A1
            get=leaders(200, other_region_leader=404),
            post=leaders(302, other_region_leader=404),
            data=_accept("idea"),
            changed=_idea_accepted("idea"),
        ),
        Case(
            key="other_idea",  # of clinic A2, which the clinic leader does not lead
            get=leaders(200, clinic_leader=404, other_region_leader=404),
            post=leaders(302, clinic_leader=404, other_region_leader=404),
            data=_accept("other_idea"),
            changed=_idea_accepted("other_idea"),
        ),
    ],
    "project_detail": [
        Case(
            key="project",  # led by A1; the partner's organisation is a party
            get=expect(
                staff_user=200,  # the lead clinic's staff read it (without agreements)
                other_clinic_staff=404,
                leader=200,
                clinic_leader=200,
                other_region_leader=404,
                partner_user=200,  # a party reads the summary and milestones
                other_partner_user=404,
                admin_user=200,
            ),
            post=expect(
                other_clinic_staff=404,
                leader=302,
                clinic_leader=302,
                other_region_leader=404,
                other_partner_user=404,
                admin_user=302,
            ),
            data=_stage("project"),
            changed=_moved("project"),
        ),
        Case(
            key="joint_project",  # led by A2, A1 takes part: the clinic leader only reads it
            get=expect(
                staff_user=200,
                other_clinic_staff=200,
                leader=200,
                clinic_leader=200,
                other_region_leader=404,
                partner_user=404,
                other_partner_user=404,
                admin_user=200,
            ),
            post=expect(
                leader=302,
                admin_user=302,
                clinic_leader=403,
                other_region_leader=404,
                partner_user=404,
                other_partner_user=404,
            ),
            data=_stage("joint_project"),
            changed=_moved("joint_project"),
        ),
    ],
    "project_join": [
        Case(
            key=key,
            # Staff ask to join a project they read (POST only); everyone else: 403.
            get=expect(staff_user=405, other_clinic_staff=405),
            post=expect(staff_user=reader, other_clinic_staff=reader),
            data=lambda w: {},
            changed=_join_requested(key),
        )
        # Both clinics' staff read the joint project; nobody here reads region B's.
        for key, reader in (("joint_project", 302), ("foreign_project", 404))
    ],
    "project_team_add": [
        Case(
            key="project",  # led by A1: its leaders add members
            get=leaders(200, other_region_leader=404),
            post=leaders(302, other_region_leader=404),
            data=_add_staff,
            changed=_staff_added("project"),
        ),
        Case(
            key="joint_project",  # led by A2: the leader of A1 reads it, does not steer it
            get=leaders(200, clinic_leader=403, other_region_leader=404),
            post=leaders(302, clinic_leader=403, other_region_leader=404),
            data=_add_staff,
            changed=_staff_added("joint_project"),
        ),
    ],
    "project_member": [
        Case(
            key="request_to_join",
            args=lambda w: [w["project"].pk, w["request_to_join"].pk],
            get=dict.fromkeys(ROLES, 405) | {"anonymous": 302},
            # Steering leaders answer; the requester and the party read the page but may not.
            post=expect(
                staff_user=403,
                other_clinic_staff=404,
                leader=302,
                clinic_leader=302,
                other_region_leader=404,
                partner_user=403,
                other_partner_user=404,
                admin_user=302,
            ),
            data=lambda w: {"action": "accept"},
            changed=lambda w: ProjectMember.objects.filter(
                pk=w["request_to_join"].pk, accepted_at__isnull=False
            ).exists(),
        )
    ],
    "leader_challenge_create": [
        Case(
            get=leaders(200),
            # Region A is not among the choices of region B's leader: bad input.
            post=leaders(302, other_region_leader=400),
            data=_new_challenge(region_wide=False),
            changed=_posted,
        ),
        Case(
            get=leaders(200),
            post=leaders(302, clinic_leader=400, other_region_leader=400),
            data=_new_challenge(region_wide=True),
            changed=_posted,
        ),
    ],
    "leader_challenge_edit": [
        Case(
            key="challenge",  # of clinic A1
            get=leaders(200, other_region_leader=404),
            post=leaders(302, other_region_leader=404),
            data=_edit("challenge"),
            changed=_edited("challenge"),
        ),
        Case(
            key="region_challenge",  # region-wide: only a leader of all of region A edits it
            get=leaders(200, clinic_leader=404, other_region_leader=404),
            post=leaders(302, clinic_leader=404, other_region_leader=404),
            data=_edit("region_challenge"),
            changed=_edited("region_challenge"),
        ),
    ],
}

# The dashboard and its exports come from the insights app, in the same URL namespace.
URL_NAMES = [pattern.name for pattern in [*urls_leader.urlpatterns, *insights_urls.urlpatterns]]


def _matrix():
    for name in URL_NAMES:
        cases = EXPECTED.get(name) or [None]  # None: a URL nobody wrote expectations for
        for index, case in enumerate(cases):
            for role in ROLES:
                for method in ("get", "post"):
                    yield pytest.param(
                        name, case, role, method, id=f"{name}-{index}-{role}-{method}"
                    )


def test_every_leader_url_has_expectations():
    assert None not in URL_NAMES, "every leader URL needs a name"
    assert set(URL_NAMES) == set(EXPECTED)


def _client_for(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize(("name", "case", "role", "method"), list(_matrix()))
def test_matrix(request, client, world, name, case, role, method):
    if case is None:
        pytest.fail(f"portfolio:{name} has no expected statuses in EXPECTED")
    args = case.args(world) if case.args else ([world[case.key].pk] if case.key else [])
    url = reverse(f"portfolio:{name}", args=args)
    client = _client_for(request, client, role)

    if method == "get":
        response = client.get(url)
        expected = case.get[role]
    else:
        response = client.post(url, case.data(world) if case.data else {})
        expected = case.post[role]

    assert response.status_code == expected, (name, case.key, role, method)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if method == "post" and case.changed is not None:
        # Only a POST that was let through (and redirected after success) changes anything.
        assert case.changed(world) == (expected == 302 and role != "anonymous")


# --- Exports of a leader of another region ------------------------------------------------------


def test_another_regions_leader_exports_nothing_of_this_region(client, world, other_region_leader):
    this_region = [world["project"].title, world["joint_project"].title]
    client.force_login(other_region_leader)

    # A leader of the Danish region reads Danish: ";" between the fields.
    rows = csv_rows(client.get(reverse("portfolio:export_csv")), delimiter=";")
    xlsx = b"".join(client.get(reverse("portfolio:export_xlsx")).streaming_content)  # streamed
    sheet = load_workbook(io.BytesIO(xlsx)).active

    csv_titles = [row[1] for row in rows[1:]]
    xlsx_titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # Their own region's project is there (the export works), none of region A's.
    assert csv_titles == xlsx_titles == [world["foreign_project"].title]
    for title in this_region:
        assert title not in str(rows)
    # Filtering by a clinic of region A is refused as a filter, not answered with its projects.
    filtered = client.get(reverse("portfolio:export_csv"), {"clinic": world["clinic"].pk})
    assert world["project"].title not in csv_text(filtered)


# --- What the readers of a project page see -----------------------------------------------------


def test_partner_does_not_see_status_updates_or_value(client, world, partner_user):
    from tests.portfolio.factories import StatusUpdateFactory

    StatusUpdateFactory(project=world["project"], text="Internal worry about budget")
    client.force_login(partner_user)

    response = client.get(reverse("portfolio:project_detail", args=[world["project"].pk]))

    assert b"Internal worry about budget" not in response.content
    assert world["project"].title.encode() in response.content


def test_staff_do_not_see_agreements(client, world, staff_user, agreement):
    client.force_login(staff_user)

    response = client.get(reverse("portfolio:project_detail", args=[world["project"].pk]))

    assert agreement.title.encode() not in response.content


def test_clinic_limited_leader_sees_only_their_clinics(client, world, clinic, other_clinic):
    limited = LeaderFactory(username="limited", region=clinic.region, clinics=[other_clinic])
    client.force_login(limited)

    assert (
        client.get(reverse("portfolio:project_detail", args=[world["project"].pk])).status_code
        == 404
    )
    assert client.get(reverse("portfolio:review_idea", args=[world["idea"].pk])).status_code == 404
    assert world["project"].title not in csv_text(client.get(reverse("portfolio:export_csv")))


def test_home_sends_leaders_to_the_dashboard(client, leader):
    client.force_login(leader)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:dashboard")
