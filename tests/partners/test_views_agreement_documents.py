"""An agreement's documents: a party's partner user adds one, every reader downloads it, the
uploader or a steering leader removes it; bad files are refused next to the field; the
agreement page does not cost more queries with more documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import AgreementDocument
from partners.services.agreement_documents import agreement_document_add

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="annex.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_party_adds_a_document_that_the_leader_reads_and_removes(
    client, agreement, partner_user, leader, django_capture_on_commit_callbacks
):
    client.force_login(partner_user)
    response = client.post(
        reverse("partners:agreement_document_add", args=[agreement.pk]), {"file": _pdf()}
    )
    assert response.status_code == 302
    document = agreement.documents.get()
    assert document.uploaded_by == partner_user

    client.force_login(leader)
    page = client.get(reverse("partners:agreement_detail", args=[agreement.pk])).content.decode()
    assert "annex.pdf" in page and str(partner_user) in page
    download = client.get(reverse("partners:agreement_document", args=[agreement.pk, document.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Cache-Control"] == "private, no-store"

    delete = reverse("partners:agreement_document_delete", args=[agreement.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not agreement.documents.exists()
    kinds = set(
        AgreementDocument.history.filter(id=document.pk).values_list("history_type", flat=True)
    )
    assert kinds == {"+", "-"}


@pytest.mark.parametrize(
    ("name", "content"), [("contract.pdf", b"MZ\x90\x00 not a pdf"), ("empty.pdf", b"")]
)
def test_a_wrong_or_empty_file_is_refused_next_to_the_field(
    client, agreement, partner_user, name, content
):
    client.force_login(partner_user)

    response = client.post(
        reverse("partners:agreement_document_add", args=[agreement.pk]),
        {"file": _pdf(name, content)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not agreement.documents.exists()


def test_a_partner_cannot_remove_the_regions_document(client, agreement, partner_user, leader):
    document = agreement_document_add(agreement=agreement, uploaded=_pdf(), actor=leader)
    client.force_login(partner_user)

    url = reverse("partners:agreement_document_delete", args=[agreement.pk, document.pk])
    page = client.get(reverse("partners:agreement_detail", args=[agreement.pk])).content.decode()

    assert url not in page
    assert client.post(url).status_code == 403
    assert agreement.documents.exists()


def test_the_agreement_page_does_not_grow_with_documents(client, agreement, leader):
    client.force_login(leader)
    url = reverse("partners:agreement_detail", args=[agreement.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    agreement_document_add(agreement=agreement, uploaded=_pdf(), actor=leader)
    small = count()
    for n in range(5):
        agreement_document_add(agreement=agreement, uploaded=_pdf(f"annex-{n}.pdf"), actor=leader)

    assert count() == small
