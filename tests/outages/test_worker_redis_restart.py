"""A Celery worker survives its Redis broker restarting, and answers again once it is back.

The incident: a worker died at one Redis restart ("Unrecoverable error: AttributeError
'NoneType' object has no attribute 'hostname'" in kombu's Redis transport). Here a real worker
(the project's settings) consumes from a private redis-server that the test kills and starts
again on the same port, with its data gone, as after a crash.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

BASE_DIR = Path(django_settings.BASE_DIR)

pytestmark = pytest.mark.celery_worker


def _alive(node, env, timeout="2"):
    return subprocess.run(  # noqa: S603 -- fixed arguments
        [str(BASE_DIR / "bin/worker-alive"), node, timeout],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _wait_alive(node, env, worker, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker process exited"
        if _alive(node, env).returncode == 0:
            return True
    return False


def test_a_worker_reconnects_after_redis_restarts(redis_server, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "PYTEST_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PARTNERSKAP_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": redis_server.url,
    }
    node = f"restart-{os.getpid()}@{socket.gethostname()}"
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(  # noqa: S603 -- fixed arguments
            [
                str(BASE_DIR / ".venv/bin/celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-n",
                node,
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        assert _wait_alive(node, env, worker, 60), log.read_text()

        redis_server.stop()
        time.sleep(3)  # the worker notices and starts reconnecting
        redis_server.start()

        assert _wait_alive(node, env, worker, 90), log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    output = log.read_text()
    assert "Unrecoverable error" not in output
    assert "has no attribute 'hostname'" not in output
