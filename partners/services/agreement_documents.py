"""An agreement's documents: added by who steers its project or by a partner user of a party,
removed by the person who added one or by who steers the project. The checks are the idea
attachments' (``portfolio.services.ideas.attachment_check`` over ``core.uploads``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clinics.access import access_for
from clinics.models import User
from core.documents import stored_document_delete, stored_document_save
from partners.access import agreement_document_can_add, agreement_document_can_delete
from partners.models import Agreement, AgreementDocument
from portfolio.services.ideas import attachment_check


@transaction.atomic
def agreement_document_add(*, agreement: Agreement, uploaded, actor: User) -> AgreementDocument:
    if not agreement_document_can_add(access_for(actor), agreement):
        raise PermissionDenied
    return stored_document_save(
        AgreementDocument(agreement=agreement),
        uploaded=uploaded,
        content_type=attachment_check(uploaded),
        actor=actor,
    )


@transaction.atomic
def agreement_document_delete(*, document: AgreementDocument, actor: User) -> None:
    """Remove the document; the audit trail keeps it. The file goes once that is committed."""
    access = access_for(actor)
    if not agreement_document_can_delete(access, document.agreement, document.uploaded_by_id):
        raise PermissionDenied
    stored_document_delete(document, actor=actor)
