"""A project's documents: added by the leaders who steer it, removed by the person who added
one or by a steering leader. The checks are the idea attachments' (``attachment_check``:
size, then the content itself, bounded and zip-bomb safe, in ``core.uploads``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from clinics.access import access_for
from clinics.models import User
from core.documents import stored_document_delete, stored_document_save
from portfolio.access import project_can_steer, project_document_can_delete
from portfolio.models import Project, ProjectDocument

from .ideas import attachment_check


@transaction.atomic
def project_document_add(*, project: Project, uploaded, actor: User) -> ProjectDocument:
    if not project_can_steer(access_for(actor), project):
        raise PermissionDenied
    return stored_document_save(
        ProjectDocument(project=project),
        uploaded=uploaded,
        content_type=attachment_check(uploaded),
        actor=actor,
    )


@transaction.atomic
def project_document_delete(*, document: ProjectDocument, actor: User) -> None:
    """Remove the document; the audit trail keeps that it was there, who added and who
    removed it. The file goes once the removal is committed."""
    if not project_document_can_delete(
        access_for(actor), document.project, document.uploaded_by_id
    ):
        raise PermissionDenied
    stored_document_delete(document, actor=actor)
