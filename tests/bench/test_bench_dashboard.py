"""`make bench`: the leader's dashboard at scale, against one hand-written SQL query.

Not a test of correctness and never part of `make test` (pyproject ignores tests/bench): it
seeds PostgreSQL with 20,000 ideas, 5,000 projects and 50,000 milestones, then measures the
dashboard's median and p95 through Django's test client and through a running gunicorn, its
query count, and the same timings for a single hand-written SQL query that computes the
dashboard's numbers. Results go to var/bench/dashboard.json and a summary is printed.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.bench.seeding import seed_bench

pytestmark = pytest.mark.django_db(transaction=True)

REPEATS = int(os.environ.get("BENCH_REPEATS", "40"))
WARMUP = 5
HTTP_TIMEOUT = 10  # seconds for one request to gunicorn
HTTP_BUDGET = 180  # seconds for all requests to gunicorn together
TARGETS = {"median_ms": 60, "p95_ms": 150, "ratio_to_sql": 2.0}

# The dashboard's figures in one statement: the scoping (the leader's clinics), the funnel,
# health, clinics, themes, at-risk list, milestones, agreements, partners, ideas waiting, time
# to first response, value per dimension, and the first page of the project list.
HAND_WRITTEN_SQL = """
WITH clinics AS (
    SELECT c.id FROM clinics_clinic c
    WHERE c.region_id IN (SELECT region_id FROM clinics_leaderscope
                          WHERE leader_id = %(leader)s AND clinic_id IS NULL)
       OR c.id IN (SELECT clinic_id FROM clinics_leaderscope
                   WHERE leader_id = %(leader)s AND clinic_id IS NOT NULL)
),
projects AS (
    SELECT p.id, p.title, p.stage, p.health, p.lead_clinic_id FROM portfolio_project p
    WHERE p.lead_clinic_id IN (SELECT id FROM clinics)
       OR p.id IN (SELECT project_id FROM portfolio_project_other_clinics
                   WHERE clinic_id IN (SELECT id FROM clinics))
),
ideas AS (
    SELECT i.id, i.status, i.submitted_at, i.first_response_at FROM portfolio_idea i
    WHERE i.clinic_id IN (SELECT id FROM clinics) AND i.status <> 'draft'
),
open_milestones AS (
    SELECT m.id, m.due_on FROM partners_milestone m
    WHERE m.project_id IN (SELECT id FROM projects) AND m.status <> 'done'
),
current_agreements AS (
    SELECT a.id, a.status, a.project_id FROM partners_agreement a
    WHERE a.project_id IN (SELECT id FROM projects)
      AND NOT EXISTS (SELECT 1 FROM partners_agreement n WHERE n.previous_version_id = a.id)
)
SELECT json_build_object(
  'total', (SELECT count(*) FROM projects),
  'stages', (SELECT json_object_agg(stage, n) FROM
             (SELECT stage, count(*) AS n FROM projects GROUP BY stage) s),
  'health', (SELECT json_object_agg(health, n) FROM
             (SELECT health, count(*) AS n FROM projects
              WHERE stage NOT IN ('completed', 'stopped') GROUP BY health) h),
  'clinics', (SELECT json_agg(json_build_array(c.name, x.n) ORDER BY x.n DESC, c.name) FROM
              (SELECT lead_clinic_id, count(*) AS n FROM projects GROUP BY lead_clinic_id) x
              JOIN clinics_clinic c ON c.id = x.lead_clinic_id),
  'themes', (SELECT json_agg(json_build_array(t.name, x.n) ORDER BY x.n DESC) FROM
             (SELECT pt.theme_id, count(*) AS n FROM portfolio_project_themes pt
              WHERE pt.project_id IN (SELECT id FROM projects) GROUP BY pt.theme_id) x
             JOIN portfolio_theme t ON t.id = x.theme_id),
  'at_risk', (SELECT json_agg(id) FROM
              (SELECT id FROM projects WHERE stage NOT IN ('completed', 'stopped')
               AND health IN ('at_risk', 'off_track') ORDER BY health DESC, title, id
               LIMIT 10) r),
  'milestones', (SELECT json_build_object(
                   'overdue', count(*) FILTER (WHERE due_on < %(today)s),
                   'due_soon', count(*) FILTER (WHERE due_on BETWEEN %(today)s AND %(soon)s))
                 FROM open_milestones),
  'overdue', (SELECT json_agg(id) FROM (SELECT id FROM open_milestones
              WHERE due_on < %(today)s ORDER BY due_on, id LIMIT 10) o),
  'due_soon', (SELECT json_agg(id) FROM (SELECT id FROM open_milestones
               WHERE due_on BETWEEN %(today)s AND %(soon)s ORDER BY due_on, id LIMIT 10) d),
  'agreements', (SELECT json_object_agg(status, n) FROM
                 (SELECT status, count(*) AS n FROM current_agreements GROUP BY status) a),
  'partners', (SELECT json_agg(json_build_array(o.name, x.n) ORDER BY x.n DESC, o.name) FROM
               (SELECT ap.organisation_id, count(DISTINCT ca.project_id) AS n
                FROM partners_agreementparty ap JOIN current_agreements ca
                ON ca.id = ap.agreement_id WHERE ap.organisation_id IS NOT NULL
                GROUP BY ap.organisation_id) x
               JOIN partners_partnerorganisation o ON o.id = x.organisation_id),
  'ideas_waiting', (SELECT json_build_object(
                      'count', count(*), 'oldest', min(submitted_at),
                      'under_week', count(*) FILTER (WHERE submitted_at >= %(week)s),
                      'week_to_month', count(*) FILTER (WHERE submitted_at < %(week)s
                                                        AND submitted_at >= %(month)s),
                      'over_month', count(*) FILTER (WHERE submitted_at < %(month)s))
                    FROM ideas WHERE status IN ('submitted', 'in_review')),
  'oldest_ideas', (SELECT json_agg(id) FROM (SELECT id FROM ideas
                   WHERE status IN ('submitted', 'in_review')
                   ORDER BY submitted_at, id LIMIT 10) w),
  'first_response', (SELECT json_build_object(
                       'count', count(*),
                       'mean', avg(EXTRACT(EPOCH FROM first_response_at - submitted_at)) / 86400,
                       'median', percentile_cont(0.5) WITHIN GROUP
                                 (ORDER BY EXTRACT(EPOCH FROM first_response_at - submitted_at))
                                 / 86400)
                     FROM ideas WHERE first_response_at IS NOT NULL
                                  AND submitted_at >= %(year)s),
  'value', (SELECT json_object_agg(dimension, json_build_array(n, measured, reached, progress))
            FROM (SELECT dimension, count(*) AS n, count(latest_value) AS measured,
                         count(*) FILTER (WHERE latest_value IS NOT NULL AND (
                             (target >= baseline AND latest_value >= target)
                             OR (target < baseline AND latest_value <= target))) AS reached,
                         avg(CASE WHEN latest_value IS NOT NULL AND target <> baseline
                             THEN (latest_value - baseline)::float * 100
                                  / (target - baseline)::float END) AS progress
                  FROM portfolio_valueindicator
                  WHERE project_id IN (SELECT id FROM projects) GROUP BY dimension) v),
  'page', (SELECT json_agg(id) FROM (SELECT id FROM projects ORDER BY title, id LIMIT 25) pg)
)
"""


def _summary(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    p95_index = max(0, round(0.95 * len(ordered)) - 1)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[p95_index], 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _time(call, repeats=REPEATS, warmup=WARMUP) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _gunicorn_timings(path: str, session_cookie: str) -> dict:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    url = f"http://127.0.0.1:{port}{path}"
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session_cookie}"})  # noqa: S310
    deadline = time.monotonic() + HTTP_BUDGET
    try:
        for _ in range(100):  # wait up to 10 s for the server to listen
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)

        def fetch():
            if time.monotonic() > deadline:
                raise TimeoutError("gunicorn requests took longer than the budget")
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
                assert response.status == 200
                response.read()

        return _summary(_time(fetch))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_bench_dashboard(client):
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    started = time.perf_counter()
    leader = seed_bench()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - started

    client.force_login(leader)
    path = reverse("portfolio:dashboard")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    query_count = len(queries)

    test_client = _summary(_time(lambda: client.get(path)))

    now = timezone.now()
    today = timezone.localdate()
    params = {
        "leader": leader.pk,
        "today": today,
        "soon": today + timedelta(days=14),
        "week": now - timedelta(days=7),
        "month": now - timedelta(days=30),
        "year": now - timedelta(days=365),
    }

    def run_sql():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN_SQL, params)
            cursor.fetchone()

    hand_written = _summary(_time(run_sql))
    gunicorn = _gunicorn_timings(path, client.cookies["sessionid"].value)

    result = {
        "when": now.isoformat(),
        "database": connection.vendor,
        "data": {"ideas": 20_000, "projects": 5_000, "milestones": 50_000},
        "seed_seconds": round(seed_seconds, 1),
        "dashboard_query_count": query_count,
        "test_client": test_client,
        "gunicorn": gunicorn,
        "hand_written_sql": hand_written,
        "ratio_median_to_sql": round(test_client["median_ms"] / hand_written["median_ms"], 2),
        "ratio_gunicorn_median_to_sql": round(gunicorn["median_ms"] / hand_written["median_ms"], 2),
        "targets": TARGETS,
    }
    out = Path(settings.BASE_DIR) / "var" / "bench" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(  # noqa: T201 - the summary is the point of `make bench`
        "\nDashboard benchmark ({} ideas, {} projects, {} milestones; seeded in {} s)\n"
        "  queries per request: {}\n"
        "  test client : median {} ms, p95 {} ms\n"
        "  gunicorn    : median {} ms, p95 {} ms\n"
        "  one SQL     : median {} ms, p95 {} ms\n"
        "  ratio (test client median / SQL median): {}\n"
        "  written to {}".format(
            *result["data"].values(),
            result["seed_seconds"],
            query_count,
            test_client["median_ms"],
            test_client["p95_ms"],
            gunicorn["median_ms"],
            gunicorn["p95_ms"],
            hand_written["median_ms"],
            hand_written["p95_ms"],
            result["ratio_median_to_sql"],
            out,
        )
    )
