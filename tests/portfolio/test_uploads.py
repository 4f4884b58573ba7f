"""One content check for every upload: idea attachments and milestone evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import upload_content_type
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


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("report.PDF", ".pdf"),
        ("no extension", ""),
        ("archive.tar.gz", ".gz"),
        ("odd.p df", ""),  # not a plain extension: left off
        ("x." + "a" * 40, ""),
    ],
)
def test_stored_name_is_short_and_random_with_a_plain_extension(name, extension):
    from pathlib import PurePath

    from core.uploads import stored_upload_name

    first = stored_upload_name("ideas/7", name)
    second = stored_upload_name("ideas/7", name)

    assert first != second
    assert first.startswith("ideas/7/") and PurePath(first).suffix == extension
    assert len(PurePath(first).name) <= 32 + len(extension)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["a" * 245 + ".pdf", "ä" * 146 + ".pdf"], ids=["249 ASCII", "150 non-ASCII"]
)
def test_idea_attachment_with_a_long_name_is_stored_and_keeps_its_name(staff_user, name, settings):
    from portfolio.services.ideas import idea_create
    from tests.portfolio.conftest import upload

    idea, _ = idea_create(
        submitter=staff_user,
        title="Long file names",
        problem="Scanners name files after everything.",
        attachments=[upload(name, PDF_BYTES)],
    )

    attachment = idea.attachments.get()
    assert attachment.original_name == name
    assert len(attachment.file.name.rsplit("/", 1)[-1]) < 40
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == PDF_BYTES
