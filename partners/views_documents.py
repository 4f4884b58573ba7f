"""An agreement's documents: add, download (everyone who reads the agreement), remove (asked
first). The agreement is read through ``visible_to`` (404 alike for missing and not yours)."""

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
from portfolio.forms.documents import DocumentForm

from . import selectors
from .access import agreement_document_can_add, agreement_document_can_delete
from .models import AgreementDocument
from .services import agreement_documents as document_services


def _documents_url(agreement) -> str:
    return reverse("partners:agreement_detail", args=[agreement.pk]) + "#documents-heading"


@login_required
@require_http_methods(["GET", "POST"])
def agreement_document_add(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    if not agreement_document_can_add(access_for(request.user), agreement):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document_services.agreement_document_add(
                    agreement=agreement, uploaded=form.cleaned_data["file"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The document is added."))
                return redirect(_documents_url(agreement))
        status = 400
    return render(
        request,
        "partners/agreementdocument_form.html",
        {"form": form, "agreement": agreement},
        status=status,
    )


@protected_download
@login_required
@require_GET
def agreement_document(request, pk, document_pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    document = get_object_or_404(
        AgreementDocument.objects.filter(agreement=agreement), pk=document_pk
    )
    return stored_file_download(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_document_delete(request, pk, document_pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    document = get_object_or_404(
        AgreementDocument.objects.filter(agreement=agreement), pk=document_pk
    )
    if not agreement_document_can_delete(
        access_for(request.user), agreement, document.uploaded_by_id
    ):
        raise PermissionDenied
    if request.method == "POST":
        document_services.agreement_document_delete(document=document, actor=request.user)
        messages.success(request, _("The document is removed."))
        return redirect(_documents_url(agreement))
    return render(
        request,
        "partners/agreementdocument_delete.html",
        {"agreement": agreement, "document": document},
    )
