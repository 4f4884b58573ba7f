"""An agreement's documents: added by who steers its project or by a partner user of a party,
removed by the person who added one or by who steers the project. The checks are the idea
attachments' (``portfolio.services.ideas.attachment_check`` over ``core.uploads``)."""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import get_valid_filename

from clinics.access import access_for
from clinics.models import User
from partners.access import agreement_document_can_add, agreement_document_can_delete
from partners.models import Agreement, AgreementDocument
from portfolio.services.ideas import attachment_check


@transaction.atomic
def agreement_document_add(*, agreement: Agreement, uploaded, actor: User) -> AgreementDocument:
    if not agreement_document_can_add(access_for(actor), agreement):
        raise PermissionDenied
    content_type = attachment_check(uploaded)
    original_name = PurePath(uploaded.name).name[:255]
    uploaded.name = get_valid_filename(original_name)[-100:] or "document"
    document = AgreementDocument(
        agreement=agreement,
        file=uploaded,
        original_name=original_name,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=actor,
    )
    document.full_clean()
    document._history_user = actor
    document.save()
    return document


@transaction.atomic
def agreement_document_delete(*, document: AgreementDocument, actor: User) -> None:
    """Remove the document; the audit trail keeps it. The file goes once that is committed."""
    access = access_for(actor)
    if not agreement_document_can_delete(access, document.agreement, document.uploaded_by_id):
        raise PermissionDenied
    storage, name = document.file.storage, document.file.name
    document._history_user = actor
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
