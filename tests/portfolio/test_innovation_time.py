"""Innovation time: "My innovation time" (record, correct, refuse), and the leaders' totals per
clinic, project and month on the project page, the dashboard, the exports and the digest."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portfolio.models import InnovationTime, Project
from portfolio.selectors.innovation_time import (
    innovation_time_totals_by_clinic,
    innovation_time_totals_by_project_month,
    mondays_in_month,
    week_monday,
)
from portfolio.services.innovation_time import innovation_time_record
from tests.clinics.factories import StaffFactory
from tests.downloads import csv_rows
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("portfolio:my_innovation_time")


def this_monday() -> datetime.date:
    return week_monday(timezone.localdate())


def iso(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def post(client, project, *, hours="2.5", week=None, version=""):
    return client.post(
        URL,
        {
            "project": project.pk,
            "week": iso(week or this_monday()),
            "hours": hours,
            "version": version,
        },
    )


def _field_errors(response, field):
    """The error codes next to ``field`` (the messages are in the reader's language)."""
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


# --- Recording -----------------------------------------------------------------------------------


def test_staff_record_hours_for_this_week(client, staff_user, project):
    client.force_login(staff_user)

    response = post(client, project, hours="2.25")

    assert response.status_code == 302
    row = InnovationTime.objects.get()
    assert (row.person, row.project, row.week, row.hours) == (
        staff_user,
        project,
        this_monday(),
        Decimal("2.25"),
    )


def test_the_page_opens_on_this_week(client, staff_user, project):
    client.force_login(staff_user)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{iso(this_monday())}"' in html
    assert 'type="week"' in html
    assert project.title in html


def test_a_second_save_of_the_same_week_changes_the_row(client, staff_user, project):
    client.force_login(staff_user)
    post(client, project, hours="2")
    row = InnovationTime.objects.get()

    # "Change" opens the row with its hours and version...
    edit = client.get(URL, {"project": project.pk, "week": this_monday().isoformat()})
    assert edit.context["form"].initial["version"] == row.version
    response = post(client, project, hours="3.5", version=row.version)

    assert response.status_code == 302
    assert InnovationTime.objects.count() == 1
    assert InnovationTime.objects.get().hours == Decimal("3.5")


def test_a_stale_save_is_refused_with_the_current_hours(client, staff_user, project):
    client.force_login(staff_user)
    post(client, project, hours="2")
    row = InnovationTime.objects.get()
    post(client, project, hours="4", version=row.version)  # another window

    response = post(client, project, hours="6", version=row.version)

    assert response.status_code == 409
    assert InnovationTime.objects.get().hours == Decimal("4")
    assert response.context["current_hours"] == Decimal("4")
    # Saving again from the refused form (it now carries the current version) replaces them.
    version = response.context["form"].data["version"]
    assert post(client, project, hours="6", version=version).status_code == 302
    assert InnovationTime.objects.get().hours == Decimal("6")


def test_a_first_save_without_version_where_a_row_exists_is_refused(client, staff_user, project):
    client.force_login(staff_user)
    post(client, project, hours="2")

    response = post(client, project, hours="5")

    assert response.status_code == 409
    assert InnovationTime.objects.get().hours == Decimal("2")


def test_last_week_is_open_too(client, staff_user, project):
    client.force_login(staff_user)

    response = post(client, project, week=this_monday() - datetime.timedelta(weeks=1))

    assert response.status_code == 302
    assert InnovationTime.objects.get().week == this_monday() - datetime.timedelta(weeks=1)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("41", "max_value"),
        ("40.25", "max_value"),
        ("0.3", "step"),
        ("1.125", "step"),
        ("-1", "min_value"),
        ("two", "invalid"),
        ("", "required"),
    ],
)
def test_bad_hours_are_refused_next_to_the_field(client, staff_user, project, hours, message):
    client.force_login(staff_user)

    response = post(client, project, hours=hours)

    assert response.status_code == 400
    assert _field_errors(response, "hours") == [message]
    assert not InnovationTime.objects.exists()
    # What was typed is kept.
    assert response.context["form"].data["hours"] == hours


@pytest.mark.parametrize("hours", ["0", "0.25", "40", "39.75"])
def test_hours_from_0_to_40_in_quarters_are_taken(client, staff_user, project, hours):
    client.force_login(staff_user)

    assert post(client, project, hours=hours).status_code == 302
    assert InnovationTime.objects.get().hours == Decimal(hours)


@pytest.mark.parametrize("weeks_back", [2, 10, -1])
def test_another_week_is_refused(client, staff_user, project, weeks_back):
    client.force_login(staff_user)

    response = post(client, project, week=this_monday() - datetime.timedelta(weeks=weeks_back))

    assert response.status_code == 400
    assert _field_errors(response, "week") == ["closed_week"]
    assert not InnovationTime.objects.exists()


def test_a_week_that_is_not_a_week_is_refused(client, staff_user, project):
    client.force_login(staff_user)

    response = client.post(URL, {"project": project.pk, "week": "2026-W99", "hours": "1"})

    assert response.status_code == 400
    assert _field_errors(response, "week") == ["invalid"]


@pytest.mark.parametrize("which", ["other_clinic", "foreign", "completed", "missing", "text"])
def test_a_project_one_may_not_work_on_is_refused(
    client, staff_user, other_clinic, foreign_clinic, project, which
):
    project_id = {
        "other_clinic": lambda: ProjectFactory(lead_clinic=other_clinic).pk,
        "foreign": lambda: ProjectFactory(lead_clinic=foreign_clinic).pk,
        "completed": lambda: (
            ProjectFactory(lead_clinic=staff_user.clinic, stage=Project.Stage.COMPLETED).pk
        ),
        "missing": lambda: 999999,
        "text": lambda: "x",
    }[which]()
    client.force_login(staff_user)

    response = client.post(
        URL, {"project": project_id, "week": iso(this_monday()), "hours": "1", "version": ""}
    )

    assert response.status_code == 400
    assert _field_errors(response, "project") == ["invalid_choice"]
    assert not InnovationTime.objects.exists()


def test_the_service_refuses_partners_and_closed_projects(partner_user, staff_user, project):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        innovation_time_record(
            project=project, week=this_monday(), hours=1, expected_version="", actor=partner_user
        )
    project.stage = Project.Stage.STOPPED
    with pytest.raises(PermissionDenied):
        innovation_time_record(
            project=project, week=this_monday(), hours=1, expected_version="", actor=staff_user
        )


def test_the_database_holds_one_row_per_person_project_and_week(staff_user, project):
    from django.db import IntegrityError, transaction

    InnovationTime.objects.create(project=project, person=staff_user, week=this_monday(), hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        InnovationTime.objects.create(
            project=project, person=staff_user, week=this_monday(), hours=2
        )


# --- Who may use the page (GET and POST per role) ------------------------------------------------

ROLES = [
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
    "admin_user",
]
# GET: staff and leaders (and superusers, leaders everywhere) record their own time.
PAGE = dict(zip(ROLES, [302, 200, 200, 200, 200, 403, 403, 200], strict=True))
# POST on ``project`` (clinic A1): its staff, the leader of region A and a superuser record;
# the other clinic's staff and region B's leader do not see it in their choices (400).
RECORD = dict(zip(ROLES, [302, 302, 400, 302, 400, 403, 403, 302], strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, request, project, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    got = client.get(URL).status_code
    posted = post(client, project)

    assert got == PAGE[role]
    assert posted.status_code == RECORD[role]
    if role == "anonymous":
        assert posted["Location"].startswith(reverse("login"))
    recorded = InnovationTime.objects.filter(project=project).exists()
    assert recorded == (RECORD[role] == 302 and role != "anonymous")


def test_my_innovation_time_queries_do_not_grow_with_rows(client, staff_user, leader):
    client.force_login(staff_user)

    def grow(n):
        for index in range(n):
            project = ProjectFactory(lead_clinic=staff_user.clinic, owner=leader)
            for weeks in range(3):
                InnovationTime.objects.create(
                    project=project,
                    person=staff_user,
                    week=this_monday() - datetime.timedelta(weeks=weeks),
                    hours=Decimal(index % 4 + 1),
                )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    grow(2)
    few = count()
    grow(8)
    assert count() == few


# --- Totals --------------------------------------------------------------------------------------


@pytest.fixture
def recorded(staff_user, other_clinic_staff, leader, project, clinic, other_clinic):
    """Hours in two months: staff of A1 and A2 and the leader (no clinic) on A1's project,
    A2's staff also on a project of A2."""
    clinic.allotted_innovation_hours_per_week = Decimal("10")
    clinic.save()
    other_project = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="A2 project")
    month = timezone.localdate().replace(day=1)
    first_monday = week_monday(month) + datetime.timedelta(weeks=1 if month.weekday() else 0)
    previous = week_monday(month - datetime.timedelta(days=1))  # a Monday of last month

    def add(person, target, week, hours):
        InnovationTime.objects.create(
            project=target, person=person, week=week, hours=Decimal(hours)
        )

    add(staff_user, project, first_monday, "2.5")
    add(staff_user, project, previous, "4")
    add(StaffFactory(clinic=clinic), project, first_monday, "1.25")
    add(leader, project, first_monday, "1")  # no clinic: counts for the lead clinic (A1)
    add(other_clinic_staff, project, first_monday, "3")  # A2's time, on A1's project
    add(other_clinic_staff, other_project, first_monday, "5")
    return {"month": month, "previous": previous.replace(day=1), "other_project": other_project}


def test_totals_per_clinic_and_month(leader, clinic, other_clinic, recorded):
    totals = {
        (total.clinic.name, total.month): (total.hours, total.allotted)
        for total in innovation_time_totals_by_clinic(leader)
    }

    month, previous = recorded["month"], recorded["previous"]
    assert totals == {
        (clinic.name, month): (Decimal("4.75"), Decimal("10") * mondays_in_month(month)),
        (clinic.name, previous): (Decimal("4"), Decimal("10") * mondays_in_month(previous)),
        (other_clinic.name, month): (Decimal("8"), None),
    }


def test_totals_per_project_and_month(leader, project, recorded):
    rows = innovation_time_totals_by_project_month(leader, project=project)

    assert [(row["month"], row["hours"]) for row in rows] == [
        (recorded["month"], Decimal("7.75")),
        (recorded["previous"], Decimal("4")),
    ]


def test_a_leader_of_one_clinic_sees_its_people_and_its_projects(
    region, clinic, other_clinic, project, recorded
):
    from tests.clinics.factories import LeaderFactory

    a2_leader = LeaderFactory(region=region, clinics=[other_clinic])

    totals = {
        (t.clinic.name, t.month): t.hours for t in innovation_time_totals_by_clinic(a2_leader)
    }

    # A2's people only: A1's project is not theirs to count.
    assert totals == {(other_clinic.name, recorded["month"]): Decimal("8")}


def test_staff_and_partners_see_no_totals(staff_user, partner_user, recorded):
    assert {t.hours for t in innovation_time_totals_by_clinic(staff_user)} == {
        Decimal("2.5"),
        Decimal("4"),
    }  # their own rows only
    assert innovation_time_totals_by_clinic(partner_user) == []


def test_mondays_in_month():
    assert mondays_in_month(datetime.date(2026, 12, 1)) == 4  # 7, 14, 21, 28
    assert mondays_in_month(datetime.date(2026, 11, 1)) == 5  # 2, 9, 16, 23, 30


def test_the_project_page_shows_leaders_the_hours(
    client, leader, staff_user, partner_user, project, recorded
):
    url = reverse("portfolio:project_detail", args=[project.pk])
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert b'data-testid="project-innovation-time"' in response.content
    assert "7,75" in response.content.decode()  # the leader reads Swedish

    for reader in (staff_user, partner_user):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b'data-testid="project-innovation-time"' not in response.content


def test_the_dashboard_compares_this_month_with_the_allotment(client, leader, clinic, recorded):
    client.force_login(leader)

    response = client.get(reverse("portfolio:dashboard"))

    html = response.content.decode()
    section = html[html.index('data-testid="innovation-time-this-month"') :]
    section = section[: section.index("</ul>")]
    allotted = 10 * mondays_in_month(recorded["month"])
    assert clinic.name in section
    assert "4,75" in section and f"{allotted} " in section  # "4,75 av 40 avsatta timmar"
    assert "<details" in html


def test_dashboard_queries_do_not_grow_with_innovation_time(client, leader, clinic, project):
    client.force_login(leader)
    url = reverse("portfolio:dashboard")

    def grow(n):
        for _ in range(n):
            InnovationTime.objects.create(
                project=project, person=StaffFactory(clinic=clinic), week=this_monday(), hours=1
            )

    from django.core.cache import cache

    grow(2)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow(10)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_exports_carry_the_totals_per_clinic_project_and_month(
    client, leader, clinic, project, recorded
):
    client.force_login(leader)

    rows = csv_rows(client.get(reverse("portfolio:export_innovation_time_csv")), delimiter=";")
    sheet = load_workbook(
        io.BytesIO(
            b"".join(  # streamed
                client.get(reverse("portfolio:export_innovation_time_xlsx")).streaming_content
            )
        )
    ).active

    month = recorded["month"].isoformat()
    assert len(rows[0]) == 6
    assert [
        month,
        clinic.name,
        clinic.region.name,
        project.title,
        "4.75",
        str(10 * mondays_in_month(recorded["month"])) + ".00",
    ] in rows
    xlsx = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(xlsx) == len(rows) - 1 == 4
    first = xlsx[0]
    assert isinstance(first[0], datetime.datetime)  # a real date cell


def test_another_regions_leader_exports_no_hours_of_this_region(
    client, other_region_leader, recorded
):
    client.force_login(other_region_leader)

    rows = csv_rows(client.get(reverse("portfolio:export_innovation_time_csv")), delimiter=";")

    assert rows[1:] == []


def test_the_digest_reports_the_clinics_hours(leader, clinic, recorded):
    from insights.selectors.digests import portfolio_changes_for_leader

    month = recorded["month"]
    start = month
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    aware = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time()))  # noqa: E731

    changes = portfolio_changes_for_leader(
        leader=leader,
        period_start=aware(start),
        period_end=aware(end),
        start_date=start,
        end_date=end,
        today=timezone.localdate(),
        horizon=timezone.localdate(),
    )

    by_clinic = {time.clinic_name: (time.hours, time.allotted) for time in changes.innovation_time}
    assert by_clinic[clinic.name] == (Decimal("4.75"), Decimal("10") * mondays_in_month(month))


def test_a_team_member_records_time_on_their_projects_team_only(
    client, clinic, other_clinic, leader
):
    from django.utils import timezone as tz

    from portfolio.models import ProjectMember

    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    person = StaffFactory(clinic=clinic)
    ProjectMember.objects.create(project=project, user=person, accepted_at=tz.now())
    person.clinic = other_clinic  # moved on, still on the team
    person.save()
    client.force_login(person)

    assert post(client, project).status_code == 302
