"""A leader whose clinic only takes part in a joint project reads its milestones, agreements and
ledger, but writes none of them: only leaders of its lead clinic steer it (``project_can_steer``).

``joint_leader`` leads a clinic that is an "other clinic" of ``project``; ``lead_clinic_leader``
leads ``project``'s lead clinic only (tests/partners/conftest.py). The status of every partners
URL for both is in the matrix of test_views_permissions.py; here: what their pages show, that a
forged POST writes nothing, and the services' own refusal.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from partners.models import Agreement, IncomeEntry, IPItem, Milestone, Reinvestment
from partners.services.agreements import (
    agreement_confirm,
    agreement_create,
    agreement_new_version,
    agreement_transition,
)
from partners.services.ledger import income_entry_create, ip_item_create, reinvestment_create
from partners.services.milestones import (
    milestone_confirm,
    milestone_confirming_leader,
    milestone_create,
    milestone_edit,
    milestone_reopen,
)
from tests.clinics.factories import ClinicFactory, LeaderFactory
from tests.partners.factories import MilestoneFactory, agreement_with_parties

pytestmark = pytest.mark.django_db

READ_ONLY = "You follow this joint project; the leaders of its lead clinic steer it."


@pytest.fixture
def joint(project, agreement, partner_organisation, lead_clinic_leader):
    """A done milestone awaiting the lead clinic leader's confirmation, and a signed agreement
    with income, next to the proposed ``agreement`` of ``project``."""
    done = MilestoneFactory(
        project=project,
        responsible_party=partner_organisation,
        responsible_leader=lead_clinic_leader,
        title="Pilot report",
    )
    Milestone.objects.filter(pk=done.pk).update(status="done", progress=100, version=2)
    done.refresh_from_db()
    signed = agreement_with_parties(
        partner_organisation, project=project, title="Licence", status=Agreement.Status.SIGNED
    )
    income = IncomeEntry.objects.create(
        agreement=signed, amount=Decimal("500"), received_on="2026-05-01"
    )
    return {
        "project": project,
        "done": done,
        "proposed": agreement,
        "signed": signed,
        "income": income,
    }


def _write_urls(joint):
    """Every write a leader's page offers on the joint world, as it appears in the HTML."""
    return {
        "project_detail": [
            reverse("partners:milestone_create", args=[joint["project"].pk]),
            reverse("partners:agreement_create", args=[joint["project"].pk]),
        ],
        "milestone_detail": [
            reverse("partners:milestone_edit", args=[joint["done"].pk]),
            reverse("partners:milestone_confirm", args=[joint["done"].pk]),
            reverse("partners:milestone_reopen", args=[joint["done"].pk]),
        ],
        "proposed": [
            reverse("partners:agreement_edit", args=[joint["proposed"].pk]),
            reverse("partners:agreement_transition", args=[joint["proposed"].pk]),
            reverse("partners:agreement_confirm", args=[joint["proposed"].pk]),
        ],
        "signed": [
            reverse("partners:agreement_transition", args=[joint["signed"].pk]),
            reverse("partners:agreement_new_version", args=[joint["signed"].pk]),
        ],
        "ledger": ['name="form" value="ip"', 'name="form" value="income"', 'value="reinvest"'],
    }


def _pages(client, joint):
    return {
        "project_detail": client.get(
            reverse("portfolio:project_detail", args=[joint["project"].pk])
        ),
        "milestone_detail": client.get(
            reverse("partners:milestone_detail", args=[joint["done"].pk])
        ),
        "proposed": client.get(reverse("partners:agreement_detail", args=[joint["proposed"].pk])),
        "signed": client.get(reverse("partners:agreement_detail", args=[joint["signed"].pk])),
        "ledger": client.get(reverse("partners:agreement_ledger", args=[joint["signed"].pk])),
    }


def test_the_joint_leader_reads_every_page_without_a_write_form(client, joint, joint_leader):
    client.force_login(joint_leader)

    for page, response in _pages(client, joint).items():
        html = response.content.decode()
        assert response.status_code == 200, page
        assert READ_ONLY in html, page
        for write in _write_urls(joint)[page]:
            assert write not in html, (page, write)
    milestone_page = client.get(reverse("partners:milestone_detail", args=[joint["done"].pk]))
    assert "Report progress" not in milestone_page.content.decode()
    # What there is to read is there: the income and its split.
    ledger = client.get(reverse("partners:agreement_ledger", args=[joint["signed"].pk]))
    assert "SEK\u00a0500" in ledger.content.decode()


def test_the_lead_clinic_leader_gets_every_write_form(client, joint, lead_clinic_leader):
    client.force_login(lead_clinic_leader)

    for page, response in _pages(client, joint).items():
        html = response.content.decode()
        assert response.status_code == 200, page
        assert READ_ONLY not in html, page
        for write in _write_urls(joint)[page]:
            assert write in html, (page, write)


def _state(joint):
    done = Milestone.objects.get(pk=joint["done"].pk)
    return {
        "milestones": Milestone.objects.count(),
        "done": (done.version, done.status, done.confirmed_at),
        "agreements": sorted(Agreement.objects.values_list("pk", "status", "updated_at")),
        "region_confirmed": list(
            joint["proposed"].parties.filter(organisation__isnull=True).values_list("confirmed_at")
        ),
        "ledger": (
            IPItem.objects.count(),
            IncomeEntry.objects.count(),
            Reinvestment.objects.count(),
        ),
    }


def test_forged_posts_of_the_joint_leader_are_refused_and_write_nothing(
    client, joint, joint_leader, partner_organisation
):
    project, done, proposed, signed = (joint[k] for k in ("project", "done", "proposed", "signed"))
    plan = {"title": "Forged", "due_on": "2027-03-01", "version": done.version}
    terms = {
        "title": "Forged agreement",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-0-organisation": "",
        "parties-0-risk_share": "50",
        "parties-0-value_share": "50",
        "parties-1-organisation": partner_organisation.pk,
        "parties-1-risk_share": "50",
        "parties-1-value_share": "50",
    }
    ledger = reverse("partners:agreement_ledger", args=[signed.pk])
    posts = [
        (reverse("partners:milestone_create", args=[project.pk]), plan),
        (reverse("partners:milestone_edit", args=[done.pk]), plan),
        (
            reverse("partners:milestone_detail", args=[done.pk]),
            {"version": done.version, "status": "in_progress", "progress": 10},
        ),
        (reverse("partners:milestone_confirm", args=[done.pk]), {"version": done.version}),
        (
            reverse("partners:milestone_reopen", args=[done.pk]),
            {"version": done.version, "reason": "Forged"},
        ),
        (reverse("partners:agreement_create", args=[project.pk]), terms),
        (reverse("partners:agreement_edit", args=[proposed.pk]), terms),
        (reverse("partners:agreement_transition", args=[proposed.pk]), {"action": "withdraw"}),
        (
            reverse("partners:agreement_confirm", args=[proposed.pk]),
            {"revision": proposed.revision, "may_sign": "on"},
        ),
        (reverse("partners:agreement_new_version", args=[signed.pk]), {}),
        (ledger, {"form": "ip", "ip-kind": "patent", "ip-title": "Forged"}),
        (
            ledger,
            {
                "form": "income",
                "income-amount": "100.00",
                "income-currency": "SEK",
                "income-received_on": "2026-06-01",
            },
        ),
        (
            ledger,
            {
                "form": "reinvest",
                "reinvest-income": joint["income"].pk,
                "reinvest-project": project.pk,
                "reinvest-amount": "10.00",
            },
        ),
    ]
    before = _state(joint)
    client.force_login(joint_leader)

    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    assert _state(joint) == before


def test_the_services_refuse_the_joint_leader_and_let_a_superuser(
    joint, joint_leader, admin_user, partner_organisation
):
    project, done, proposed, signed = (joint[k] for k in ("project", "done", "proposed", "signed"))
    writes = [
        lambda actor: milestone_create(
            project=project, actor=actor, title="M", due_on="2027-01-01"
        ),
        lambda actor: milestone_edit(
            milestone=done, actor=actor, expected_version=done.version, title="Renamed"
        ),
        lambda actor: milestone_confirm(milestone=done, actor=actor, expected_version=done.version),
        lambda actor: milestone_reopen(
            milestone=done, actor=actor, expected_version=done.version, reason="No"
        ),
        lambda actor: agreement_create(
            project=project,
            actor=actor,
            title="A",
            parties=[
                {"organisation": None, "risk_share": Decimal(50), "value_share": Decimal(50)},
                {
                    "organisation": partner_organisation,
                    "risk_share": Decimal(50),
                    "value_share": Decimal(50),
                },
            ],
        ),
        lambda actor: agreement_transition(agreement=proposed, actor=actor, to_status="draft"),
        lambda actor: agreement_confirm(
            agreement=proposed, actor=actor, expected_revision=proposed.revision
        ),
        lambda actor: agreement_new_version(agreement=signed, actor=actor),
        lambda actor: ip_item_create(agreement=signed, actor=actor, kind="patent", title="IP"),
        lambda actor: income_entry_create(
            agreement=signed, actor=actor, amount=Decimal(1), received_on="2026-06-01"
        ),
        lambda actor: reinvestment_create(
            income=joint["income"], actor=actor, project=project, amount=Decimal(1)
        ),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write(joint_leader)

    # The admin may still: a milestone and an agreement of the project.
    assert milestone_create(project=project, actor=admin_user, title="M", due_on="2027-01-01")
    assert writes[4](admin_user).project == project


def test_an_owner_who_no_longer_steers_leaves_confirming_to_a_whole_region_leader(
    client, project, leader, partner_organisation
):
    """The project's owner confirms when no responsible leader is named, but only while they
    lead its lead clinic; otherwise a leader of the whole region does (README, "For partners")."""
    elsewhere = ClinicFactory(region=project.lead_clinic.region)
    owner = LeaderFactory(username="moved_owner", region=elsewhere.region, clinics=[elsewhere])
    project.owner = owner
    project.save(update_fields=["owner"])
    done = MilestoneFactory(project=project, responsible_party=partner_organisation)
    Milestone.objects.filter(pk=done.pk).update(status="done", progress=100, version=2)
    done.refresh_from_db()

    assert milestone_confirming_leader(done) is None
    client.force_login(owner)
    assert client.get(reverse("partners:milestone_detail", args=[done.pk])).status_code == 404
    client.force_login(leader)
    response = client.post(reverse("partners:milestone_confirm", args=[done.pk]), {"version": 2})
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.confirmed_by == leader
