"""`make bench`: throughput under load, with locust, against gunicorn on 127.0.0.1.

Seeds PostgreSQL with ``seed_demo --scale BENCH_SCALE`` (100 unless set), starts gunicorn with
two workers as production runs it, and for each page runs locust headless: ``BENCH_USERS``
(20) concurrent clients for ``BENCH_SECONDS`` (30) on that page alone. Prints a table (p50,
p95, requests per second, errors) and writes var/bench/load.json. Never part of `make test`.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinics.models import User
from portfolio.models import Project

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = int(os.environ.get("BENCH_SCALE", "100"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
# Requests per second each page must sustain, with no error (issue 14).
TARGET_RPS = {"dashboard (cached)": 300, "project page": 100, "partner start page": 100}
TARGET_RPS_DEFAULT = 100
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _session(username: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def _wait_for(url: str, session: str, seconds: float = 60) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200, (url, response.status)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _locust(base_url: str, path: str, session: str, out_dir: Path, name: str) -> dict:
    prefix = out_dir / name.replace(" ", "_").replace("(", "").replace(")", "")
    subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{SECONDS}s",
            "--host",
            base_url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "BENCH_PATH": path, "BENCH_SESSION": session},
        check=False,  # locust exits 1 when a request failed: the table reports it
        timeout=SECONDS + 60,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    return {
        "path": path,
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "rps": round(float(row["Requests/s"]), 1),
    }


def test_bench_load():
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", str(SCALE), verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    leader, partner = _session("leader"), _session("partner")
    project = Project.objects.visible_to(User.objects.get(username="partner")).order_by("pk")[0]
    pages = [
        ("dashboard (cached)", reverse("portfolio:dashboard"), leader),
        ("project page", reverse("portfolio:project_detail", args=[project.pk]), leader),
        ("partner start page", reverse("partners:home"), partner),
        ("API project list", reverse("api:project-list"), leader),
        ("API milestone list (partner)", reverse("api:milestone-list"), partner),
    ]
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        # The API's per-user throttle would refuse a load test by design.
        "API_THROTTLE_USER": "1000000/minute",
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
    out_dir = Path(settings.BASE_DIR) / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(100):  # wait up to 10 s for the server to listen
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        base_url = f"http://127.0.0.1:{port}"
        # The workers boot after the socket listens: wait for each page to answer once (which
        # also fills the dashboard's cache, as a leader's first look of the day does).
        for _name, path, session in pages:
            _wait_for(base_url + path, session)
        results = {
            name: _locust(base_url, path, session, out_dir, name) for name, path, session in pages
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    for name, row in results.items():
        row["target_rps"] = TARGET_RPS.get(name, TARGET_RPS_DEFAULT)
        row["met"] = row["errors"] == 0 and row["rps"] >= row["target_rps"]
    result = {
        "when": timezone.now().isoformat(),
        "scale": SCALE,
        "users": USERS,
        "seconds": SECONDS,
        "gunicorn_workers": 2,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "pages": results,
    }
    (out_dir / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"\nLoad test: {USERS} clients x {SECONDS} s per page, gunicorn 2 workers, "
        f"scale {SCALE}, {os.cpu_count()} CPUs, load average {os.getloadavg()}",
        f"  {'page':30s} {'p50 ms':>8s} {'p95 ms':>8s} {'req/s':>8s} {'errors':>7s} target",
    ]
    lines += [
        f"  {name:30s} {r['p50_ms']:8.0f} {r['p95_ms']:8.0f} {r['rps']:8.1f} {r['errors']:7d} "
        f"{r['target_rps']}/s {'met' if r['met'] else 'NOT met'}"
        for name, r in results.items()
    ]
    print("\n".join(lines) + f"\n  written to {out_dir / 'load.json'}")  # noqa: T201
