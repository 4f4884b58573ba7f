"""``/health/`` for load balancers and supervisors (django-health-check).

Answers 200 when every check passes and 500 when one fails, as HTML, plain text
(``Accept: text/plain`` or ``?format=text``) or JSON (``?format=json``). No login, no HTTPS
redirect (``SECURE_REDIRECT_EXEMPT``), never cached.

The checks are listed in ``settings.HEALTH_CHECKS``: add one there (a
``health_check.base.HealthCheck`` dataclass whose ``run`` raises ``ServiceUnavailable``) to
have it reported here.
"""

import asyncio
import dataclasses
import datetime
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection: the cheap check (no worker needs to answer;
    workers are watched by bin/worker-alive)."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=5), repr=False
    )

    def run(self):
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(
                    max_retries=1, interval_start=0, timeout=self.timeout.total_seconds()
                )
                connection.default_channel  # noqa: B018 -- opening a channel talks to it
        except Exception as error:
            # Never the URL: it may hold the broker's password.
            raise ServiceUnavailable(f"Broker unavailable ({type(error).__name__})") from error


@dataclasses.dataclass
class OutboxBacklog(HealthCheck):
    """E-mail is flowing: nothing in the outbox has waited longer than
    ``OUTBOX_HEALTH_MAX_WAIT_MINUTES``. Mail waits through short SMTP or worker outages by
    design (it is retried for two days); waiting longer than this means nobody is sending it."""

    def run(self):
        from django.utils import timezone

        from core.outbox import outbox_backlog

        backlog = outbox_backlog()
        limit = datetime.timedelta(minutes=settings.OUTBOX_HEALTH_MAX_WAIT_MINUTES)
        oldest = backlog.oldest_waiting_since
        if oldest is not None and timezone.now() - oldest > limit:
            raise ServiceUnavailable(
                f"{backlog.waiting} e-mails waiting, the oldest for more than {limit}"
            )

    def pretty_status(self) -> str:
        return "OK"


class HealthView(HealthCheckView):
    """django-health-check's view, served synchronously: the checks run concurrently in an
    event loop of their own, in a helper thread, so the view works from any WSGI thread (also
    one that has an event loop already, where Django's async-to-sync bridge refuses to run)."""

    view_is_async = False

    def dispatch(self, request, *args, **kwargs):
        checks = super().dispatch(request, *args, **kwargs)  # a coroutine
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="health") as helper:
            return helper.submit(asyncio.run, checks).result()

    def get_checks(self):
        self.checks = settings.HEALTH_CHECKS
        return super().get_checks()
