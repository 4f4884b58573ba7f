"""A change history reads a bounded number of records (issue 14): the newest ones, and the
record just before them so that the first change read still shows what it changed from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import core.history
from core.history import history_entries
from partners.models import Milestone
from portfolio.models import Project
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def _as_text(entries):
    return [
        (entry.kind, entry.subject, [(c.label, c.old, c.new) for c in entry.changes])
        for entry in entries
    ]


def _edited(project, times):
    for n in range(times):
        project.title = f"Title {n}"
        project.save()
        milestone = project.milestones.first()
        milestone.progress = n % 100
        milestone.save()


def _histories(project):
    return (
        (Project.history.filter(id=project.pk), "Project"),
        (Milestone.history.filter(project_id=project.pk), "Milestone"),
    )


def test_a_long_history_reads_only_its_newest_records(project, monkeypatch):
    MilestoneFactory(project=project)
    _edited(project, 12)
    unbounded = _as_text(history_entries(*_histories(project)))

    monkeypatch.setattr(core.history, "RECORDS_READ", 5)
    monkeypatch.setattr(core.history, "ENTRIES_SHOWN", 8)
    with CaptureQueriesContext(connection) as captured:
        bounded = _as_text(history_entries(*_histories(project)))

    # The newest entries, each change from the value before it (read from the record just
    # before the window), not "–" as if the object were new.
    assert bounded == unbounded[:8]
    assert all(old != "–" for _kind, _subject, changes in bounded for _l, old, _new in changes)
    # Per history: the newest records and the ones before them; then the names of related
    # objects (one query per related model).
    history_queries = [
        q for q in captured.captured_queries if "_historical" in q["sql"].split("FROM")[1]
    ]
    assert len(history_queries) == 4


def test_a_short_history_is_read_in_one_query_per_kind(project):
    MilestoneFactory(project=project)
    _edited(project, 3)
    with CaptureQueriesContext(connection) as captured:
        entries = history_entries(*_histories(project))
    assert entries[-1].kind == "created"
    history_queries = [
        q for q in captured.captured_queries if "_historical" in q["sql"].split("FROM")[1]
    ]
    assert len(history_queries) == 2
