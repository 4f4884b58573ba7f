"""A project's documents: add (steering leaders), download (everyone who reads the project),
remove (the person who added it, or a steering leader; asked first)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.access import access_for
from clinics.downloads import protected_download, stored_file_download
from core.forms import add_service_errors
from portfolio.access import project_can_steer, project_document_can_delete
from portfolio.forms.documents import DocumentForm
from portfolio.models import ProjectDocument
from portfolio.selectors.projects import project_for_user_or_404
from portfolio.services import project_documents as document_services


def _documents_url(project) -> str:
    return reverse("portfolio:project_detail", args=[project.pk]) + "#documents-heading"


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, pk):
    project = project_for_user_or_404(request.user, pk)
    if not project_can_steer(access_for(request.user), project):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document_services.project_document_add(
                    project=project, uploaded=form.cleaned_data["file"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The document is added."))
                return redirect(_documents_url(project))
        status = 400
    return render(
        request,
        "portfolio/projectdocument_form.html",
        {"form": form, "project": project},
        status=status,
    )


@protected_download
@login_required
@require_GET
def document_download(request, pk, document_pk):
    """Only to people who may read the project, always as a download."""
    project = project_for_user_or_404(request.user, pk)
    document = get_object_or_404(ProjectDocument.objects.filter(project=project), pk=document_pk)
    return stored_file_download(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk, document_pk):
    """Asks first (GET), removes on the confirmation (POST)."""
    project = project_for_user_or_404(request.user, pk)
    document = get_object_or_404(
        ProjectDocument.objects.filter(project=project).select_related("uploaded_by"),
        pk=document_pk,
    )
    if not project_document_can_delete(access_for(request.user), project, document.uploaded_by_id):
        raise PermissionDenied
    if request.method == "POST":
        document_services.project_document_delete(document=document, actor=request.user)
        messages.success(request, _("The document is removed."))
        return redirect(_documents_url(project))
    return render(
        request,
        "portfolio/projectdocument_delete.html",
        {"project": project, "document": document},
    )
