"""Benchmark: build and send the status digests of 1,000 leaders over scaled demo data.

Run with `make bench` (not part of the default `pytest` run). Writes var/bench/digests.json:
wall time for finding who is due, claiming and rendering every digest, and sending them
all to a real SMTP server on 127.0.0.1 in batches; and the SQL queries per digest (the
maximum must not grow with the data: it is measured at two data sizes).
"""

import json
import os
import statistics
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinics.models import Clinic, LeaderScope, Region, User
from insights.services.digests import (
    digest_batches,
    digest_build,
    digests_due,
    digests_prepare_batch,
    digests_send_ready,
)
from partners.models import Milestone, MilestoneUpdate, PartnerMembership, PartnerOrganisation
from portfolio.models import (
    DigestDelivery,
    Idea,
    Project,
    StageChange,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
)
from tests.portfolio.digest_support import SMTPTestServer, use_smtp_backend
from tests.portfolio.digest_world import NOW, SLOT

pytestmark = pytest.mark.django_db

LEADERS = int(os.environ.get("DIGEST_BENCH_LEADERS", "1000"))
LEADERS_PER_CLINIC = 5
PROJECTS_PER_CLINIC = 5
IN_PERIOD = SLOT - timedelta(days=3)
TODAY = SLOT.date()


def scaled_portfolio(*, clinics: int, prefix: str) -> list[Clinic]:
    """Clinics with staff, leaders, ideas, projects and a week's changes, bulk-inserted."""
    password = make_password(None)
    regions = Region.objects.bulk_create(
        Region(
            name=f"{prefix} region {i}", slug=f"{prefix}-r{i}", language=("sv", "da", "en")[i % 3]
        )
        for i in range(max(1, clinics // 20))
    )
    clinic_rows = Clinic.objects.bulk_create(
        Clinic(region=regions[i % len(regions)], name=f"{prefix} clinic {i}", slug=f"{prefix}-c{i}")
        for i in range(clinics)
    )
    staff = User.objects.bulk_create(
        User(username=f"{prefix}-staff{i}", role="staff", clinic=c, password=password)
        for i, c in enumerate(clinic_rows)
    )
    leaders = User.objects.bulk_create(
        User(
            username=f"{prefix}-leader{i}-{j}",
            email=f"{prefix}-leader{i}-{j}@example.org",
            role="leader",
            region=c.region,
            password=password,
        )
        for i, c in enumerate(clinic_rows)
        for j in range(LEADERS_PER_CLINIC)
    )
    LeaderScope.objects.bulk_create(
        LeaderScope(
            leader=leader,
            region=clinic_rows[k // LEADERS_PER_CLINIC].region,
            clinic=clinic_rows[k // LEADERS_PER_CLINIC],
        )
        for k, leader in enumerate(leaders)
    )
    organisation = PartnerOrganisation.objects.create(name=f"{prefix} Medtech AB", kind="company")
    partner = User.objects.create(username=f"{prefix}-partner", role="partner", password=password)
    PartnerMembership.objects.create(user=partner, organisation=organisation)
    Idea.objects.bulk_create(
        Idea(
            title=f"Idea {i}-{n}",
            problem="Waiting times",
            clinic=c,
            submitter=staff[i],
            status=status,
            submitted_at=IN_PERIOD - timedelta(days=n),
            decided_at=IN_PERIOD if status == "accepted" else None,
        )
        for i, c in enumerate(clinic_rows)
        for n, status in enumerate(["submitted", "in_review", "accepted"])
    )
    projects = Project.objects.bulk_create(
        Project(
            title=f"Project {i}-{p}",
            lead_clinic=c,
            owner=leaders[i * LEADERS_PER_CLINIC],
            stage="pilot",
            started_on=TODAY,
        )
        for i, c in enumerate(clinic_rows)
        for p in range(PROJECTS_PER_CLINIC)
    )
    StageChange.objects.bulk_create(
        StageChange(project=p, from_stage="concept", to_stage="pilot", created_at=IN_PERIOD)
        for p in projects
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(project=p, author=p.owner, health=health, text="Update", created_at=IN_PERIOD)
        for p in projects
        for health in ("on_track", "at_risk")
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=p,
            title=f"Milestone {n}",
            responsible_party=organisation,
            due_on=TODAY + timedelta(days=due),
            status=status,
            progress=100 if status == "done" else 50,
            completed_on=IN_PERIOD.date() if status == "done" else None,
        )
        for p in projects
        for n, (due, status) in enumerate([(-3, "planned"), (4, "in_progress"), (-1, "done")])
    )
    MilestoneUpdate.objects.bulk_create(
        MilestoneUpdate(
            milestone=m,
            author=partner,
            comment="Progress",
            created_at=IN_PERIOD,
            changes={"progress": [40, 50]},
        )
        for m in milestones[1::3]
    )
    indicators = ValueIndicator.objects.bulk_create(
        ValueIndicator(
            project=p,
            dimension="care_pathway",
            name="Lead time",
            baseline=10,
            target=5,
            direction="lower",
        )
        for p in projects
    )
    ValueMeasurement.objects.bulk_create(
        ValueMeasurement(
            indicator=v,
            value=8,
            measured_on=IN_PERIOD.date(),
            recorded_by=partner,
            created_at=IN_PERIOD,
        )
        for v in indicators
    )
    return clinic_rows


def queries_for_one_digest(leader):
    leader = User.objects.select_related("region", "digest_preference").get(pk=leader.pk)
    with CaptureQueriesContext(connection) as captured:
        digest_build(leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW)
    return len(captured)


def test_bench_digests_for_a_thousand_leaders(settings):
    started = time.perf_counter()
    clinics = scaled_portfolio(clinics=LEADERS // LEADERS_PER_CLINIC // 2, prefix="a")
    probe = User.objects.filter(role="leader").order_by("pk").first()
    queries_small = queries_for_one_digest(probe)
    clinics += scaled_portfolio(clinics=LEADERS // LEADERS_PER_CLINIC - len(clinics), prefix="b")
    queries_large = queries_for_one_digest(probe)
    seeded = time.perf_counter() - started
    leaders = User.objects.filter(role="leader").count()
    assert leaders == LEADERS

    t0 = time.perf_counter()
    due = digests_due(now=NOW)
    t_due = time.perf_counter() - t0
    assert len(due) == LEADERS

    # As the beat job queues them: a task per batch of leaders (digest_batches), whose
    # leaders of the same clinics share the reads.
    per_batch_queries = []
    batches = digest_batches(due)
    t0 = time.perf_counter()
    for period_end, leader_ids in batches:
        connection.queries_log.clear()  # the log keeps 9,000 queries: count from empty
        with CaptureQueriesContext(connection) as captured:
            digests_prepare_batch(
                leader_ids=leader_ids, period_end=period_end, now=NOW, queue_sender=False
            )
        per_batch_queries.append(len(captured) / len(leader_ids))
    t_prepare = time.perf_counter() - t0

    server = SMTPTestServer()
    server.start()
    use_smtp_backend(settings, server)
    try:
        t0 = time.perf_counter()
        result = digests_send_ready(now=NOW)
        t_send = time.perf_counter() - t0
    finally:
        server.stop()
    assert len(result.sent) == LEADERS
    assert len(server.handler.messages) == LEADERS
    assert DigestDelivery.objects.filter(status="sent").count() == LEADERS
    assert queries_large == queries_small

    report = {
        "leaders": LEADERS,
        "clinics": len(clinics),
        "projects": Project.objects.count(),
        "database": connection.vendor,
        "seconds_seeding": round(seeded, 2),
        "seconds_finding_due_leaders": round(t_due, 3),
        "seconds_claiming_and_rendering": round(t_prepare, 2),
        "seconds_sending_smtp": round(t_send, 2),
        "smtp_batch_size": settings.DIGEST_BATCH_SIZE,
        "digests_per_second_end_to_end": round(LEADERS / (t_due + t_prepare + t_send), 1),
        "sql_queries_per_digest_build": {"half_data": queries_small, "full_data": queries_large},
        "prepare_batches": len(batches),
        "sql_queries_per_claim_and_render_in_a_batch": {
            "max": round(max(per_batch_queries), 1),
            "median": round(statistics.median(per_batch_queries), 1),
        },
    }
    out = Path(settings.VAR_DIR) / "bench" / "digests.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
