"""The systemd units in deploy/systemd: long-running processes restart on failure, and the
worker's liveness check pings the node name the worker unit gives it."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((UNITS / name).read_text().replace("\\\n", " "))
    return parser


@pytest.mark.parametrize(
    "name", ["partnerskap-web.service", "partnerskap-worker.service", "partnerskap-beat.service"]
)
def test_long_running_processes_restart_on_failure(name):
    service = _unit(name)["Service"]

    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/partnerskap/env"
    assert service["User"] == "partnerskap"


def test_the_liveness_check_pings_the_workers_node_and_restarts_it_when_silent():
    worker = _unit("partnerskap-worker.service")["Service"]["ExecStart"]
    alive = _unit("partnerskap-worker-alive.service")
    restart = _unit("partnerskap-worker-restart.service")["Service"]["ExecStart"]
    timer = _unit("partnerskap-worker-alive.timer")["Timer"]

    assert "-n celery@%H" in worker
    assert alive["Service"]["ExecStart"].startswith("/srv/partnerskap/bin/worker-alive celery@%H")
    assert alive["Unit"]["OnFailure"] == "partnerskap-worker-restart.service"
    assert restart == "/bin/systemctl restart partnerskap-worker.service"
    assert timer["OnUnitActiveSec"] == "1min"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_units_are_valid(tmp_path):
    for unit in UNITS.iterdir():
        shutil.copy(unit, tmp_path / unit.name)
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        ["systemd-analyze", "verify", "--man=false", *sorted(str(p) for p in tmp_path.iterdir())],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    # The programs live under /srv/partnerskap on a server, not on this machine.
    problems = [
        line for line in result.stderr.splitlines() if line and "is not executable" not in line
    ]
    assert problems == []
