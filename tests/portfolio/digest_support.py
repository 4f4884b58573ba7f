"""Test servers for the status digests: a real SMTP server on 127.0.0.1 (aiosmtpd in a thread)
and a real Celery worker subprocess against Redis that shares the test database."""

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
DEFAULT_TEST_BROKER_URL = "redis://127.0.0.1:6379/6"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Keeps every message it accepts; can refuse the next N transactions (421, "try again
    later") and slow each one down, to play an SMTP server that is down or busy."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []  # (recipients, email.message.EmailMessage)
        self.transactions_by_connection = {}  # the client's (address, port): MAIL commands
        self.transactions_started = 0
        self.refuse_next = 0
        self.delay = 0.0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.transactions_started += 1
            # One client port per TCP connection: counts the connections that carried mail.
            peer = tuple(session.peer[:2])
            self.transactions_by_connection[peer] = self.transactions_by_connection.get(peer, 0) + 1
            refuse = self.refuse_next > 0
            if refuse:
                self.refuse_next -= 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if refuse:
            return "421 4.3.2 Service not available, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        with self.lock:
            return [message for _rcpt, message in self.received]

    def transactions_per_connection(self) -> list[int]:
        with self.lock:
            return sorted(self.transactions_by_connection.values())

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(address for rcpt, _message in self.received for address in rcpt)


class SMTPTestServer:
    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.handler.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"SMTP server got {len(self.handler.messages)} messages, expected {count}"
                )
            time.sleep(0.05)


def use_smtp_backend(settings_fixture, server: SMTPTestServer) -> None:
    settings_fixture.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings_fixture.EMAIL_HOST = "127.0.0.1"
    settings_fixture.EMAIL_PORT = server.port
    settings_fixture.EMAIL_HOST_USER = ""
    settings_fixture.EMAIL_HOST_PASSWORD = ""
    settings_fixture.EMAIL_USE_TLS = False
    settings_fixture.EMAIL_USE_SSL = False
    settings_fixture.EMAIL_TIMEOUT = 10


# --- Real Celery worker -------------------------------------------------------------------------


def test_broker_url() -> str:
    """The Redis database the worker tests may empty. When the suite runs in parallel
    (pytest-xdist), each process takes its own database below the given one (gw0 the given one,
    gw1 the one below, ...), so one process's flush never empties another's queue."""
    url = os.environ.get("CELERY_TEST_BROKER_URL", DEFAULT_TEST_BROKER_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    offset = int(worker.removeprefix("gw") or 0)
    if not offset:
        return url
    base, _, database = url.rpartition("/")
    return f"{base}/{(int(database or 0) - offset) % 16}"


test_broker_url.__test__ = False  # not a test, despite the name


def require_redis(url: str) -> None:
    """Fail (never skip) with a clear message when Redis is not there; empty the test DB."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {url} ({exc}). These tests run a real Celery worker: "
            "start Redis (e.g. `redis-server --daemonize yes --bind 127.0.0.1`) or set "
            "CELERY_TEST_BROKER_URL to a Redis database they may empty.",
            pytrace=False,
        )
    client.flushdb()


def broker_messages(url: str) -> dict:
    """What the Redis broker holds for the default queue: the task ids waiting in the queue and
    those delivered to a worker but not acknowledged (kombu's ``unacked`` hash)."""
    import json

    import redis

    client = redis.Redis.from_url(url)

    def task_id(payload: bytes) -> str:
        message = json.loads(payload)
        if isinstance(message, list):  # unacked: [message, exchange, routing key]
            message = message[0]
        return message["headers"]["id"]

    return {
        "queued": [task_id(p) for p in client.lrange("celery", 0, -1)],
        "unacked": [task_id(p) for p in client.hvals("unacked")],
    }


def database_url_of_test_db() -> str:
    """The test database as a DATABASE_URL, for the worker subprocess."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.fail(
                "The SQLite test database is in memory; a worker cannot share it. "
                "tests/conftest.py keeps it in a file under var/.",
                pytrace=False,
            )
        return f"sqlite:///{Path(name).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        from urllib.parse import quote

        auth = quote(db["USER"] or "")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"])
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    pytest.fail(f"No worker support for {db['ENGINE']}", pytrace=False)


class CeleryWorker:
    """``celery -A config worker --pool=solo`` in a subprocess, against ``broker_url``."""

    def __init__(self, *, broker_url: str, email_url: str, log_dir: Path, extra_env=None):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url_of_test_db(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": email_url,
            "DIGEST_RETRY_BASE_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **(extra_env or {}),
        }
        self.log_dir = log_dir
        self.process = None
        self.log_path = None
        self.starts = 0

    def start(self, timeout: float = 90.0) -> None:
        # Generous: a worker boots Django and every app, which on a busy 2-core machine (the
        # suite runs a process per core, beside PostgreSQL and Chromium) can take half a minute.
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"digest-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while b" ready." not in self.log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"Celery worker did not start:\n{self.log()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgements, like a crashed machine."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""
