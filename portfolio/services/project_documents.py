"""A project's documents: added by the leaders who steer it, removed by the person who added
one or by a steering leader. The checks are the idea attachments' (``attachment_check``:
size, then the content itself, bounded and zip-bomb safe, in ``core.uploads``)."""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import get_valid_filename

from clinics.access import access_for
from clinics.models import User
from portfolio.access import project_can_steer, project_document_can_delete
from portfolio.models import Project, ProjectDocument

from .ideas import attachment_check


@transaction.atomic
def project_document_add(*, project: Project, uploaded, actor: User) -> ProjectDocument:
    if not project_can_steer(access_for(actor), project):
        raise PermissionDenied
    content_type = attachment_check(uploaded)
    original_name = PurePath(uploaded.name).name[:255]
    # The name on disk is made safe; the original is kept for the download's file name.
    uploaded.name = get_valid_filename(original_name)[-100:] or "document"
    document = ProjectDocument(
        project=project,
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
def project_document_delete(*, document: ProjectDocument, actor: User) -> None:
    """Remove the document; the audit trail keeps that it was there, who added and who
    removed it. The file goes once the removal is committed."""
    if not project_document_can_delete(
        access_for(actor), document.project, document.uploaded_by_id
    ):
        raise PermissionDenied
    storage, name = document.file.storage, document.file.name
    document._history_user = actor
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
