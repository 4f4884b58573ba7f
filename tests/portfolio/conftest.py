import pytest

from config.celery import app as celery_app
from tests.portfolio.digest_support import (
    CeleryWorker,
    SMTPTestServer,
    require_redis,
    test_broker_url,
    use_smtp_backend,
)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    server = SMTPTestServer()
    server.start()
    use_smtp_backend(settings, server)
    yield server
    server.stop()


@pytest.fixture
def broker_url():
    url = test_broker_url()
    require_redis(url)
    return url


@pytest.fixture
def celery_worker_process(broker_url, smtp_server, tmp_path):
    """A real worker subprocess on the test database and broker; stopped after the test."""
    worker = CeleryWorker(broker_url=broker_url, email_url=smtp_server.url, log_dir=tmp_path)
    yield worker
    worker.stop()


@pytest.fixture
def send_to_broker(broker_url):
    """Put a task on the real broker from this (otherwise eager) test process."""

    def _send(task, *args, **kwargs):
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            with celery_app.connection_for_write(broker_url) as connection:
                return task.apply_async(args=args, kwargs=kwargs, connection=connection)
        finally:
            celery_app.conf.task_always_eager = eager

    return _send


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The digest tests create many people; a real password hash for each is slow on 2 cores."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
