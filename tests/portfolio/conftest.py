"""Fixtures of the portfolio tests: upload files built in memory; SMTP, broker and worker."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app as celery_app
from tests.portfolio.digest_support import (
    CeleryWorker,
    SMTPTestServer,
    require_redis,
    test_broker_url,
    use_smtp_backend,
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def png_upload():
    return upload("photo.png", PNG_BYTES, "image/png")


@pytest.fixture
def pdf_upload():
    return upload("routine.pdf", PDF_BYTES, "application/pdf")


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
