"""Reads behind staff's pages: similar ideas (on both databases), open challenges' order."""

import pytest
from django.db import connection
from django.utils import timezone

from portfolio.models import Project
from portfolio.selectors.challenges import challenges_open_for
from portfolio.selectors.ideas import ideas_similar_to
from tests.clinics.factories import StaffFactory
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="trigram similarity (pg_trgm) exists only on PostgreSQL; "
    "run with DATABASE_URL=postgres://… to check it",
)


@on_postgresql
def test_postgresql_finds_an_existing_title_inside_the_problem_being_typed(
    staff_user, other_clinic, leader
):
    colleague = StaffFactory(clinic=other_clinic)
    IdeaFactory(
        submitter=colleague,
        title="Reminder texts",
        problem="Nothing alike here.",
        submitted=True,
    )
    IdeaFactory(submitter=colleague, title="Parking for wheelchairs", submitted=True)
    ProjectFactory(
        lead_clinic=other_clinic, owner=leader, title="Reminder texts", summary="Unrelated."
    )

    # Only the problem is typed: the existing title is a phrase inside it.
    ideas, projects = ideas_similar_to(
        user=staff_user,
        title="",
        problem="Patients forget their visits; we could send reminder texts the day before.",
    )

    assert [idea.title for idea in ideas] == ["Reminder texts"]
    assert [project.title for project in projects] == ["Reminder texts"]


@on_postgresql
def test_postgresql_matches_a_typed_title_against_titles_and_ones_own_problems(
    staff_user, other_clinic
):
    colleague = StaffFactory(clinic=other_clinic)
    IdeaFactory(submitter=colleague, title="Reminder texts before visits", submitted=True)
    IdeaFactory(
        submitter=staff_user,
        title="Fewer empty slots",
        problem="We could send reminder texts to patients.",
        submitted=True,
    )
    IdeaFactory(submitter=colleague, title="Parking for wheelchairs", submitted=True)

    ideas, _ = ideas_similar_to(user=staff_user, title="Reminder texts", problem="")

    assert {idea.title for idea in ideas} == {"Reminder texts before visits", "Fewer empty slots"}


def test_a_typed_problem_finds_similar_ideas_on_any_database(staff_user, other_clinic):
    IdeaFactory(submitter=StaffFactory(clinic=other_clinic), title="Reminder texts", submitted=True)

    ideas, projects = ideas_similar_to(
        user=staff_user, problem="We could send reminder texts the day before."
    )

    assert [idea.title for idea in ideas] == ["Reminder texts"]
    assert projects == []
    assert Project.objects.count() == 0


# A colleague's problem text, of another clinic or of one's own: the searcher may not read it.
SECRET = "We could use ultraviolet disinfection lamps in the waiting rooms."


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("Ultraviolet disinfection lamps", ""),
        ("", "Maybe ultraviolet disinfection lamps would help"),
        ("Ultraviolet", "ultraviolet"),
    ],
)
@pytest.mark.parametrize("colleague_clinic", ["other_clinic", "clinic"])
def test_others_problem_texts_are_never_searched(
    request, staff_user, leader, title, problem, colleague_clinic
):
    """Else typing word after word would tell what a colleague wrote (on either database)."""
    colleague = StaffFactory(clinic=request.getfixturevalue(colleague_clinic))
    IdeaFactory(submitter=colleague, title="Cleaner rooms", problem=SECRET, submitted=True)
    ProjectFactory(
        lead_clinic=request.getfixturevalue("other_clinic"),
        owner=leader,
        title="Calmer rooms",
        summary=SECRET,
    )

    ideas, projects = ideas_similar_to(user=staff_user, title=title, problem=problem)

    assert ideas == []
    assert projects == []


def test_ones_own_problem_texts_and_ones_clinics_projects_are_searched(staff_user, clinic, leader):
    own = IdeaFactory(submitter=staff_user, title="Cleaner rooms", problem=SECRET)
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Calmer", summary=SECRET)

    ideas, projects = ideas_similar_to(user=staff_user, title="Ultraviolet disinfection lamps")

    assert ideas == [own]  # one's own draft too
    assert projects == [project]


def test_open_challenges_close_soonest_first_and_undated_last(staff_user, clinic):
    today = timezone.localdate()
    undated = ChallengeFactory(clinic=clinic, title="Undated", closes_on=None)
    later = ChallengeFactory(clinic=clinic, title="Later", closes_on=today + timezone.timedelta(9))
    sooner = ChallengeFactory(clinic=clinic, title="Sooner", closes_on=today)
    ChallengeFactory(clinic=clinic, title="Closed", closes_on=today - timezone.timedelta(1))

    assert list(challenges_open_for(user=staff_user)) == [sooner, later, undated]
