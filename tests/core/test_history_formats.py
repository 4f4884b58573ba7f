"""The change history in the reader's language: field labels are the fields' names, choices
their labels, dates and times formatted (local time), numbers localised; never the raw
"2026-02-06 10:21:53.194367+00:00" Python prints."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.history import history_entries
from partners.models import Milestone
from portfolio.models import Project
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

CONFIRMED = datetime(2026, 2, 6, 10, 21, 53, 194367, tzinfo=UTC)  # 11:21 in Stockholm


def _changes(entries):
    return {change.label: (change.old, change.new) for change in entries[0].changes}


def _project_changed(project):
    project.stage = Project.Stage.DEVELOPMENT
    project.started_on = date(2026, 3, 18)
    project.save()
    return Project.history.filter(id=project.pk)


def _milestone_confirmed(project):
    milestone = MilestoneFactory(project=project, status=Milestone.Status.DONE, progress=100)
    milestone.confirmed_at = CONFIRMED
    milestone.save()
    return Milestone.history.filter(id=milestone.pk)


@pytest.mark.parametrize(
    ("language", "stage", "started", "started_on", "confirmed", "confirmed_at"),
    [
        ("sv", "fas", "startade", "2026-03-18", "bekräftad", "2026-02-06 11:21"),
        ("en", "stage", "started on", "18 Mar 2026", "confirmed", "6 Feb 2026 11:21"),
    ],
)
def test_history_shows_labels_choices_and_formatted_dates(
    project, language, stage, started, started_on, confirmed, confirmed_at
):
    project_history = _project_changed(project)
    milestone_history = _milestone_confirmed(project)

    with translation.override(language):
        changes = _changes(history_entries((project_history, "Project")))
        milestone_changes = _changes(history_entries((milestone_history, "Milestone")))

    development = {"sv": "Utveckling", "en": "Development"}[language]
    concept = {"sv": "Koncept", "en": "Concept"}[language]
    assert changes[stage] == (concept, development)
    assert changes[started][1] == started_on
    assert milestone_changes[confirmed] == ("–", confirmed_at)


def test_history_numbers_are_localised(agreement):
    party = agreement.parties.first()
    party.contribution_money = Decimal("1234.50")
    party.save()

    with translation.override("sv"):
        entries = history_entries((type(party).history.filter(id=party.pk), "Party"))

    values = [change.new for change in entries[0].changes]
    assert "1\u00a0234,5" in values, values
