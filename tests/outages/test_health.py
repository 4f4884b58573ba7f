"""/health/: 200 when the database, cache, storage and broker work, 500 when one is away;
reachable without login and without an HTTPS redirect, for load balancers."""

import pytest
from django.urls import reverse

from config.celery import app
from tests.config.test_cache import caches_for
from tests.outages.servers import CLOSED_PORT

pytestmark = pytest.mark.django_db(transaction=True)


def _health(client):
    return client.get(reverse("health"), {"format": "json"})


def test_healthy_answers_200_with_every_check(client):
    response = _health(client)

    assert response.status_code == 200, response.content
    checks = response.json()
    assert set(checks.values()) == {"OK"}
    names = " ".join(checks)
    for check in ("Database", "Cache", "Storage", "Broker", "OutboxBacklog"):
        assert check in names


def test_the_cache_away_answers_500(client, settings):
    settings.CACHES = caches_for(f"redis://127.0.0.1:{CLOSED_PORT}/0")

    response = _health(client)

    assert response.status_code == 500
    failed = {name: state for name, state in response.json().items() if state != "OK"}
    assert list(failed) == [name for name in failed if name.startswith("Cache")]
    assert failed


def test_the_broker_away_answers_500_without_its_address(client, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", f"redis://:secret@127.0.0.1:{CLOSED_PORT}/0")

    response = _health(client)

    assert response.status_code == 500
    states = response.json()
    broker = next(state for name, state in states.items() if name.startswith("Broker"))
    assert "Broker unavailable" in broker
    assert "secret" not in response.content.decode()


def test_no_login_and_no_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301  # everything else goes to HTTPS
    response = client.get(reverse("health"), headers={"accept": "text/plain"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_more_checks_are_added_in_the_settings(client, settings):
    settings.HEALTH_CHECKS = [*settings.HEALTH_CHECKS, "tests.outages.test_health.Backlog"]

    response = _health(client)

    assert response.status_code == 500
    assert "over the limit" in response.content.decode()


import dataclasses  # noqa: E402 -- the example check sits beside its test

from health_check.base import HealthCheck  # noqa: E402
from health_check.exceptions import ServiceUnavailable  # noqa: E402


@dataclasses.dataclass
class Backlog(HealthCheck):
    """An example of a project check, as the e-mail outbox's backlog would be."""

    def run(self):
        raise ServiceUnavailable("backlog over the limit")


def test_answers_from_a_thread_that_already_runs_an_event_loop(client):
    # As in a thread where another library left an event loop running (the browser tests'
    # Playwright does): Django's async-to-sync bridge would refuse an async view there.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def request():
        return _health(client)

    with ThreadPoolExecutor(max_workers=1) as thread:
        response = thread.submit(asyncio.run, request()).result()

    assert response.status_code == 200


def test_mail_stuck_in_the_outbox_answers_500(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import OutboxEmail
    from core.outbox import outbox_email_add

    settings.OUTBOX_HEALTH_MAX_WAIT_MINUTES = 60
    mail = outbox_email_add(
        kind=OutboxEmail.Kind.NOTIFICATION,
        recipient="someone@example.org",
        subject="Waiting",
        body_text="Text",
        queue_sender=False,
    )
    assert _health(client).status_code == 200  # waiting a moment is normal

    OutboxEmail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - timedelta(hours=2))
    response = _health(client)

    assert response.status_code == 500
    backlog = next(state for name, state in response.json().items() if "Outbox" in name)
    assert "1 e-mails waiting" in backlog
