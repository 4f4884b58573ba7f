"""One content check for every upload: idea attachments and milestone evidence."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import ZIP_MAX_ENTRIES, upload_content_type
from tests.portfolio.conftest import PDF_BYTES, PNG_BYTES, docx_bytes, odt_bytes


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


# --- Archives (Office documents are zips): never unpacked beyond a few bytes -------------------

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def _write_padded(archive: zipfile.ZipFile, name: str, head: bytes, megabytes: int) -> None:
    """An entry of ``head`` and ``megabytes`` MB of spaces, written 1 MB at a time: it costs the
    test a megabyte of memory and a few hundred bytes of archive per 1 MB it declares."""
    chunk = b" " * (1024 * 1024)
    with archive.open(name, "w", force_zip64=True) as entry:
        entry.write(head)
        for _ in range(megabytes):
            entry.write(chunk)


@pytest.fixture(scope="module")
def odt_bomb(tmp_path_factory) -> bytes:
    """A valid-looking .odt whose "mimetype" entry unpacks to 200 MB (twice the cap) from a
    file of ~200 KB. The padding is spaces, which ``strip()`` removes: read in full, it passes."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_padded(archive, "mimetype", ODT_MIMETYPE, 200)
        archive.writestr("content.xml", "<office:document-content/>")
    return path.read_bytes()


@pytest.fixture
def entries_opened(monkeypatch):
    """The entries the check unpacks (any amount), by name."""
    opened = []
    original = zipfile.ZipFile.open

    def spy(self, name, mode="r", *args, **kwargs):
        if mode == "r":  # not the test's own writing
            opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


def test_a_zip_bomb_is_refused_quickly_without_unpacking_it(odt_bomb, entries_opened):
    assert len(odt_bomb) < 2 * 1024 * 1024

    tracemalloc.start()
    started = time.monotonic()
    try:
        kind = upload_content_type(_file("plan.odt", odt_bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert kind is None
    assert entries_opened == []
    assert peak < 5 * 1024 * 1024
    assert time.monotonic() - started < 1


def test_an_oversized_mimetype_entry_is_refused_unread(entries_opened):
    # Small in all (under the total cap), but no ODF mimetype line is 10 KB long.
    content = _zip([("mimetype", ODT_MIMETYPE + b" " * 10_000), ("content.xml", "<x/>")])

    assert upload_content_type(_file("plan.odt", content)) is None
    assert entries_opened == []


def test_a_docx_whose_parts_unpack_past_the_cap_is_refused(entries_opened):
    # The declared sizes add up past the cap (each part alone is below it).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        _write_padded(archive, "word/document.xml", b"<w:document/>", 60)
        _write_padded(archive, "word/styles.xml", b"<w:styles/>", 60)

    assert upload_content_type(_file("plan.docx", buffer.getvalue())) is None
    assert entries_opened == []


def test_an_archive_with_too_many_entries_is_refused():
    entries = [("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")]
    entries += [(f"word/media/{n}.xml", "") for n in range(ZIP_MAX_ENTRIES)]

    assert upload_content_type(_file("plan.docx", _zip(entries, zipfile.ZIP_STORED))) is None


@pytest.mark.parametrize("nested", ["word/media/payload.zip", "Pictures/x.tar.gz", "a.7z"])
def test_an_archive_inside_a_document_is_refused(nested, entries_opened):
    content = _zip(
        [
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
            (nested, _zip([("inner.txt", "x")])),
        ]
    )

    assert upload_content_type(_file("plan.docx", content)) is None
    assert entries_opened == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.docx", docx_bytes(), DOCX_TYPE),
        ("plan.odt", odt_bytes(), ODT_MIMETYPE.decode()),
        (
            # ODF as office suites write it: "mimetype" first and stored, then the parts.
            "plan.odt",
            _zip(
                [
                    ("mimetype", ODT_MIMETYPE),
                    ("content.xml", "<office:document-content/>" * 1000),
                    ("META-INF/manifest.xml", "<manifest:manifest/>"),
                ],
                zipfile.ZIP_STORED,
            ),
            ODT_MIMETYPE.decode(),
        ),
        (
            # A chart in a .docx keeps its data as an embedded .xlsx: part of the format, kept.
            "report.docx",
            _zip(
                [
                    ("[Content_Types].xml", "<Types/>"),
                    ("word/document.xml", "<w:document/>"),
                    ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", docx_bytes()),
                ]
            ),
            DOCX_TYPE,
        ),
        ("plan.odt", docx_bytes(), None),  # a .docx under another name
    ],
)
def test_office_documents_are_still_accepted(name, content, expected, entries_opened):
    assert upload_content_type(_file(name, content)) == expected
    # Only an ODF's mimetype line is ever unpacked.
    assert set(entries_opened) <= {"mimetype"}
