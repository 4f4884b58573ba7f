"""Every protected download answers ``Cache-Control: private, no-store``: idea attachments,
milestone evidence, the milestone and portfolio exports, and the personal-data download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import MilestoneUpdate
from portfolio.services.ideas import idea_create
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="report.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def idea_attachment_url(staff_user):
    idea, _ = idea_create(
        submitter=staff_user, title="Reminders", problem="No-shows", attachments=[_pdf()]
    )
    return reverse("portfolio:idea_attachment", args=[idea.pk, idea.attachments.get().pk])


@pytest.fixture
def evidence_url(project, partner_organisation, partner_user):
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)
    update = MilestoneUpdate(milestone=milestone, author=partner_user, comment="Report")
    update.evidence.save("report.pdf", _pdf(), save=False)
    update.evidence_name = "report.pdf"
    update.save()
    return reverse("partners:evidence_download", kwargs={"pk": update.pk})


@pytest.fixture
def project_document_url(project, leader):
    from portfolio.services.project_documents import project_document_add

    document = project_document_add(project=project, uploaded=_pdf(), actor=leader)
    return reverse("portfolio:project_document", args=[project.pk, document.pk])


# (download, who asks, the fixture or URL name that gives its address)
DOWNLOADS = [
    ("idea attachment", "staff_user", "idea_attachment_url"),
    ("project document, partner", "partner_user", "project_document_url"),
    ("project document, staff", "staff_user", "project_document_url"),
    ("milestone evidence, partner", "partner_user", "evidence_url"),
    ("milestone evidence, leader", "leader", "evidence_url"),
    ("milestones CSV, partner", "partner_user", "partners:milestone_export"),
    ("milestones CSV, leader", "leader", "partners:milestone_export"),
    ("portfolio CSV", "leader", "portfolio:export_csv"),
    ("portfolio Excel", "leader", "portfolio:export_xlsx"),
    ("personal data, staff", "staff_user", "account:personal_data"),
    ("personal data, partner", "partner_user", "account:personal_data"),
]


def _directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(("download", "role", "address"), DOWNLOADS, ids=[d[0] for d in DOWNLOADS])
def test_every_protected_download_is_private_and_not_stored(
    client, request, project, download, role, address
):
    url = reverse(address) if ":" in address else request.getfixturevalue(address)
    client.force_login(request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert _directives(response) == {"private", "no-store"}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_login_redirect_of_a_download_is_not_stored_either(client, evidence_url):
    response = client.get(evidence_url)

    assert response.status_code == 302
    assert _directives(response) == {"private", "no-store"}
