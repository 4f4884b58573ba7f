"""`make bench`: the leader's dashboard at scale, against one hand-written SQL query.

Not a test of correctness and never part of `make test` (pyproject ignores tests/bench): it
seeds PostgreSQL with ``seed_demo --scale 100`` (over 20,000 ideas, 5,000 projects and 50,000
milestones), then measures the demo leader's dashboard (all of Region Västerbotten): median
and p95 through Django's test client and through a running gunicorn, its query count, and the
same timings for a single hand-written SQL query that computes the dashboard's numbers. The
dashboard is measured twice: as leaders get it (figures cached until the data changes) and
with the cache off (``DASHBOARD_CACHE_SECONDS=0``: every figure computed on every request).
Results go to var/bench/dashboard.json and a summary is printed.
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
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinics.models import User
from partners.models import Milestone
from portfolio.models import Idea, Project

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = int(os.environ.get("BENCH_SCALE", "100"))
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
    -- Agreement.objects.current(): left draft, and no next version that has left draft.
    SELECT a.id, a.status, a.project_id FROM partners_agreement a
    WHERE a.project_id IN (SELECT id FROM projects) AND a.status <> 'draft'
      AND NOT EXISTS (SELECT 1 FROM partners_agreement n
                      WHERE n.previous_version_id = a.id AND n.status <> 'draft')
),
draft_agreements AS (
    SELECT a.id, a.status FROM partners_agreement a
    WHERE a.project_id IN (SELECT id FROM projects) AND a.status = 'draft'
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
                 (SELECT status, count(*) AS n FROM
                  (SELECT status FROM current_agreements
                   UNION ALL SELECT status FROM draft_agreements) ca GROUP BY status) a),
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


def _gunicorn_timings(path: str, session_cookie: str, *, cache_seconds: int) -> dict:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DASHBOARD_CACHE_SECONDS": str(cache_seconds),
        # As the README's production section runs it: persistent database connections.
        "CONN_MAX_AGE": "60",
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


def test_bench_dashboard(client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    started = time.perf_counter()
    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", str(SCALE), verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - started
    leader = User.objects.get(username="leader")  # the demo's leader of a whole region

    client.force_login(leader)
    path = reverse("portfolio:dashboard")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    cold_query_count = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    cached_query_count = len(queries)

    test_client = _summary(_time(lambda: client.get(path)))
    settings.DASHBOARD_CACHE_SECONDS = 0
    test_client_uncached = _summary(_time(lambda: client.get(path)))

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
    session = client.cookies["sessionid"].value
    gunicorn = _gunicorn_timings(path, session, cache_seconds=300)
    gunicorn_uncached = _gunicorn_timings(path, session, cache_seconds=0)

    def ratio(timings):
        return round(timings["median_ms"] / hand_written["median_ms"], 2)

    result = {
        "when": now.isoformat(),
        "database": connection.vendor,
        "scale": SCALE,
        "data": {
            "ideas": Idea.objects.count(),
            "projects": Project.objects.count(),
            "milestones": Milestone.objects.count(),
            "projects_visible_to_leader": Project.objects.visible_to(leader).count(),
        },
        "seed_seconds": round(seed_seconds, 1),
        "dashboard_query_count": {"cached": cached_query_count, "uncached": cold_query_count},
        "test_client": test_client,
        "test_client_uncached": test_client_uncached,
        "gunicorn": gunicorn,
        "gunicorn_uncached": gunicorn_uncached,
        "hand_written_sql": hand_written,
        "ratio_median_to_sql": ratio(test_client),
        "ratio_gunicorn_median_to_sql": ratio(gunicorn),
        "ratio_uncached_median_to_sql": ratio(test_client_uncached),
        "load_average": os.getloadavg(),
        "targets": TARGETS,
    }
    out = Path(settings.BASE_DIR) / "var" / "bench" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    data = result["data"]
    print(  # noqa: T201 - the summary is the point of `make bench`
        f"\nDashboard benchmark (seed_demo --scale {SCALE}: {data['ideas']} ideas, "
        f"{data['projects']} projects, {data['milestones']} milestones; "
        f"{data['projects_visible_to_leader']} projects visible; seeded in {seed_seconds:.0f} s)\n"
        f"  queries per request: {cached_query_count} cached, {cold_query_count} uncached\n"
        f"  test client          : median {test_client['median_ms']} ms, "
        f"p95 {test_client['p95_ms']} ms\n"
        f"  test client, no cache: median {test_client_uncached['median_ms']} ms, "
        f"p95 {test_client_uncached['p95_ms']} ms\n"
        f"  gunicorn             : median {gunicorn['median_ms']} ms, p95 {gunicorn['p95_ms']} ms\n"
        f"  gunicorn, no cache   : median {gunicorn_uncached['median_ms']} ms, "
        f"p95 {gunicorn_uncached['p95_ms']} ms\n"
        f"  one SQL              : median {hand_written['median_ms']} ms, "
        f"p95 {hand_written['p95_ms']} ms\n"
        f"  ratio to SQL (median): {result['ratio_median_to_sql']} cached, "
        f"{result['ratio_uncached_median_to_sql']} uncached\n"
        f"  load average: {result['load_average']}\n"
        f"  written to {out}"
    )
