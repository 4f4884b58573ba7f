import functools
import logging
import os

from celery import Celery, Task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger("partnerskap.tasks")


class OutageRetryingTask(Task):
    """Every task retries, with exponential backoff, when the database or the broker is away.

    The database restarting or Redis failing over is a matter of seconds to minutes: the task is
    queued again after about TASK_OUTAGE_RETRY_BACKOFF, 2×, 4× … seconds (full jitter, each
    wait at most TASK_OUTAGE_RETRY_BACKOFF_MAX), at most TASK_OUTAGE_MAX_RETRIES times, then it
    fails as before. The settings keep every wait, and all of them together, below the broker's
    visibility timeout, so Redis never hands a waiting task to a second worker.

    This wraps each task's own ``run`` rather than setting ``autoretry_for``, so tasks that
    declare their own ``autoretry_for`` (for SMTP errors, say) retry on an outage too, and it
    leaves ``__call__`` alone, so ``self.request`` stays the worker's in every task.
    """

    outage_errors = (DatabaseOperationalError, InterfaceError, BrokerOperationalError)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is None:
            return
        if isinstance(run, staticmethod):  # @app.task without bind=True
            function = run.__func__

            def call(self, *args, **kwargs):
                return function(*args, **kwargs)

        else:
            call = run

        @functools.wraps(call)
        def run_retrying_outages(self, *args, **kwargs):
            try:
                return call(self, *args, **kwargs)
            except cls.outage_errors as error:
                raise self.retry_after_outage(error) from error

        cls.run = run_retrying_outages

    def retry_after_outage(self, error: Exception):
        from django.conf import settings

        retries = self.request.retries
        if self.request.called_directly or retries >= settings.TASK_OUTAGE_MAX_RETRIES:
            raise error
        countdown = get_exponential_backoff_interval(
            factor=settings.TASK_OUTAGE_RETRY_BACKOFF,
            retries=retries,
            maximum=settings.TASK_OUTAGE_RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        logger.warning(
            "task %s[%s] met an outage (%s), retry %s of %s in %ss",
            self.name,
            self.request.id,
            error,
            retries + 1,
            settings.TASK_OUTAGE_MAX_RETRIES,
            countdown,
        )
        return self.retry(
            exc=error, countdown=countdown, max_retries=settings.TASK_OUTAGE_MAX_RETRIES
        )


app = Celery("partnerskap", task_cls=OutageRetryingTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
