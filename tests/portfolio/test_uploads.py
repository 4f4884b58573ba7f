"""One content check for every upload: idea attachments and milestone evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolio.uploads import upload_content_type
from tests.portfolio.conftest import PDF_BYTES, PNG_BYTES


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", PDF_BYTES, "application/pdf"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.pdf", PNG_BYTES, None),  # the name lies about the content
        ("notes.txt", "Mätningar vecka 12".encode(), None),  # text only where allowed
    ],
)
def test_attachments_are_known_by_their_content(name, content, expected):
    assert upload_content_type(_file(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", "Mätningar vecka 12".encode(), "text/plain"),
        ("export.csv", b"week;value\n12;4.5\n", "text/csv"),
        ("export.csv", PNG_BYTES, None),  # binary content is no CSV
        ("tool.txt", b"\x7fELF\x02\x01\x01\x00\x00", None),
    ],
)
def test_evidence_may_also_be_text(name, content, expected):
    assert upload_content_type(_file(name, content), allow_text=True) == expected
