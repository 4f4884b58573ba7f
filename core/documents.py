"""Saving and removing a stored document (``core.models.StoredDocument``): what every owner's
service does once it has checked who may act and what the file is."""

from pathlib import PurePath

from django.db import transaction
from django.utils.text import get_valid_filename


def stored_document_save(document, *, uploaded, content_type: str, actor):
    """Fill ``document`` (an unsaved row with its owner set) from the checked ``uploaded`` file
    and save it, with ``actor`` in the audit trail."""
    original_name = PurePath(uploaded.name).name[:255]
    # The name on disk is made safe; the original is kept for the download's file name.
    uploaded.name = get_valid_filename(original_name)[-100:] or "document"
    document.file = uploaded
    document.original_name = original_name
    document.content_type = content_type
    document.size = uploaded.size
    document.uploaded_by = actor
    document.full_clean()
    document._history_user = actor
    document.save()
    return document


def stored_document_delete(document, *, actor) -> None:
    """Remove the row (the audit trail keeps who added and who removed it); the file goes once
    the removal is committed."""
    storage, name = document.file.storage, document.file.name
    document._history_user = actor
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
