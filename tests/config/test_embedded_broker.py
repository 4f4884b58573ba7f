"""The embedded (file-system) broker: its folders come from the settings, all under var/, and
a worker, `celery inspect` and bin/worker-alive write nothing anywhere else.

Each test uses a fresh var/ folder (PARTNERSKAP_VAR_DIR) and runs from an empty working
directory, where kombu used to create its exchange tables (./control).
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture
def fresh(tmp_path):
    var = tmp_path / "var"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "PYTEST_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PARTNERSKAP_VAR_DIR": str(var),
        "PYTHONPATH": str(BASE_DIR),
    }
    return var, cwd, env


def _run(args, *, cwd, env, timeout=60):
    return subprocess.run(  # noqa: S603 -- fixed arguments
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_a_fresh_var_folder_gets_the_broker_folders_from_the_settings(fresh):
    var, cwd, env = fresh
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )

    result = _run([sys.executable, "-c", code], cwd=cwd, env=env)

    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    broker = var / "celery"
    for option, folder in [
        ("data_folder_in", "queue"),
        ("data_folder_out", "queue"),
        ("processed_folder", "processed"),
        ("control_folder", "control"),
    ]:
        assert options[option] == str(broker / folder)
        assert (broker / folder).is_dir()
    assert list(cwd.iterdir()) == []


@pytest.mark.celery_worker
def test_a_worker_and_celery_inspect_write_nothing_outside_var(fresh, tmp_path):
    var, cwd, env = fresh
    repository_before = {path.name for path in BASE_DIR.iterdir()}
    node = f"outages-{os.getpid()}@{socket.gethostname()}"
    worker = subprocess.Popen(  # noqa: S603 -- fixed arguments
        [
            str(BASE_DIR / ".venv/bin/celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-n",
            node,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        alive = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            alive = _run([str(BASE_DIR / "bin/worker-alive"), node, "2"], cwd=cwd, env=env)
            if alive.returncode == 0:
                break
        assert alive is not None and alive.returncode == 0, alive.stderr
        inspect = _run(
            [
                str(BASE_DIR / ".venv/bin/celery"),
                "-A",
                "config",
                "inspect",
                "ping",
                "--destination",
                node,
                "--timeout",
                "5",
                "--json",
            ],
            cwd=cwd,
            env=env,
        )
        assert json.loads(inspect.stdout) == {node: {"ok": "pong"}}
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert list(cwd.iterdir()) == []  # no ./control, no celerybeat-schedule, nothing
    assert {path.name for path in BASE_DIR.iterdir()} - repository_before == set()
    assert (var / "celery" / "control" / "celery.pidbox.exchange").is_file()


def test_worker_alive_fails_when_no_worker_answers(fresh):
    var, cwd, env = fresh

    result = _run([str(BASE_DIR / "bin/worker-alive"), "nobody@nowhere", "1"], cwd=cwd, env=env)

    assert result.returncode == 1
    assert "did not answer" in result.stderr
