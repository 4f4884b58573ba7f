"""What an uploaded file really is: decided by its content, never by the browser's word.

Idea attachments and milestone evidence both go through ``upload_content_type``: the
extension is trusted only when the content agrees with it, so a renamed executable or an HTML
page called ``x.png`` is refused wherever people upload.
"""

import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class AttachmentKind:
    content_type: str
    extensions: frozenset[str]


_PNG = AttachmentKind("image/png", frozenset({".png"}))
_JPEG = AttachmentKind("image/jpeg", frozenset({".jpg", ".jpeg"}))
_GIF = AttachmentKind("image/gif", frozenset({".gif"}))
_WEBP = AttachmentKind("image/webp", frozenset({".webp"}))
_PDF = AttachmentKind("application/pdf", frozenset({".pdf"}))
# Old binary Office files share one container format (OLE2); the extension tells them apart.
_OLE2 = AttachmentKind("application/x-ole-storage", frozenset({".doc", ".xls", ".ppt"}))
_OLE2_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
# Office Open XML: a zip whose main part lives in a folder named after the application.
_OOXML = {
    "word/": AttachmentKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({".docx"}),
    ),
    "xl/": AttachmentKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({".xlsx"})
    ),
    "ppt/": AttachmentKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        frozenset({".pptx"}),
    ),
}
# OpenDocument: a zip whose first entry "mimetype" names the document type.
_ODF = {
    "application/vnd.oasis.opendocument.text": frozenset({".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({".ods"}),
    "application/vnd.oasis.opendocument.presentation": frozenset({".odp"}),
}

ALLOWED_EXTENSIONS = sorted(
    {
        ext
        for kind in (_PNG, _JPEG, _GIF, _WEBP, _PDF, _OLE2, *_OOXML.values())
        for ext in kind.extensions
    }
    | {ext for exts in _ODF.values() for ext in exts}
)


# Office documents are zip archives, and a zip can promise far more than it holds: a 2 MB file
# can unpack to gigabytes (a "zip bomb"). The checks below read only the archive's directory
# (names and declared sizes) and the first bytes of one entry (an OpenDocument's "mimetype"),
# and they never open an entry as an archive itself: the documents' own embedded parts (a
# chart's .xlsx in a .docx) are stored, never unpacked, and other archives inside are refused.
ZIP_MAX_ENTRIES = 5000
# The sum of the sizes the entries declare. Office documents of 10 MB unpack to a few times
# that; a declared size is also what bounds how much zipfile would ever unpack of an entry.
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# An ODF "mimetype" entry holds one short line, stored uncompressed.
_ODF_MIMETYPE_MAX_BYTES = 100
_NESTED_ARCHIVE_SUFFIXES = frozenset(
    {".zip", ".jar", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".tar", ".cab"}
)


def _zip_within_limits(infos: list[zipfile.ZipInfo]) -> bool:
    if len(infos) > ZIP_MAX_ENTRIES:
        return False
    if sum(info.file_size for info in infos) > ZIP_MAX_UNCOMPRESSED_BYTES:
        return False
    return not any(
        PurePath(info.filename).suffix.lower() in _NESTED_ARCHIVE_SUFFIXES for info in infos
    )


def _zip_kind(uploaded) -> AttachmentKind | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            if not _zip_within_limits(infos):
                return None
            entries = {info.filename: info for info in infos}
            mimetype_info = entries.get("mimetype")
            if mimetype_info is not None:
                if mimetype_info.file_size > _ODF_MIMETYPE_MAX_BYTES:
                    return None
                # read(n) unpacks only as much as it returns, whatever the entry declares.
                with archive.open(mimetype_info) as entry:
                    head = entry.read(_ODF_MIMETYPE_MAX_BYTES)
                mimetype = head.decode("ascii", "replace").strip()
                if mimetype in _ODF:
                    return AttachmentKind(mimetype, _ODF[mimetype])
                return None
            if "[Content_Types].xml" not in entries:
                return None
            for folder, kind in _OOXML.items():
                if any(name.startswith(folder) for name in entries):
                    return kind
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None
    return None


def _binary_kind(uploaded) -> AttachmentKind | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _WEBP
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLE2
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(uploaded)
        uploaded.seek(0)
        return kind
    return None


_TEXT = AttachmentKind("text/plain", frozenset({".txt"}))
_CSV = AttachmentKind("text/csv", frozenset({".csv"}))
TEXT_EXTENSIONS = sorted(_TEXT.extensions | _CSV.extensions)


def _is_text(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 4
    return True


def upload_content_type(uploaded, *, allow_text: bool = False) -> str | None:
    """The content type to store for ``uploaded``, or None if its content and name disagree
    or it is not an accepted kind (images, PDF, office documents; plain text and CSV too when
    ``allow_text``)."""
    extension = PurePath(uploaded.name or "").suffix.lower()
    kind = _binary_kind(uploaded)
    if kind is None and allow_text and extension in TEXT_EXTENSIONS and _is_text(uploaded):
        return (_CSV if extension == ".csv" else _TEXT).content_type
    if kind is None or extension not in kind.extensions:
        return None
    if kind is _OLE2:
        return _OLE2_TYPES[extension]
    return kind.content_type


_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def stored_upload_name(folder: str, filename: str) -> str:
    """Where an upload is stored: ``folder``/<random>.<extension>.

    The person's file name is never used on disk: it can be longer than the file system allows
    (255 bytes, fewer characters when they are not ASCII) or carry characters a storage refuses.
    It is kept in the model as the name people see and download. Only a short, plain extension
    survives, so the stored file still opens with the right program.
    """
    extension = PurePath(filename or "").suffix.lower()
    if not _SAFE_EXTENSION.fullmatch(extension):
        extension = ""
    return f"{folder}/{uuid.uuid4().hex}{extension}"
