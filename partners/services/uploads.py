"""Evidence files: the type is decided by the content, never by the name or the browser.

The detection is the one idea attachments use (``core.uploads``); evidence may also be a
plain text or CSV file (a measurement log, an export from the partner's own system).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.uploads import upload_content_type


def evidence_validate(upload) -> None:
    """Refuse files that are too big, or whose content is not what their name says."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too big: at most %(limit)s."),
            code="too_big",
            params={"limit": filesizeformat(limit)},
        )
    if upload_content_type(upload, allow_text=True) is None:
        raise ValidationError(
            _("Upload a PDF, an image (PNG, JPEG), a text or CSV file, or an office document."),
            code="bad_type",
        )
