"""The partnership endpoints × every role: which phases and instalments each reads, that a
partner never reads another partner's money or outcome, writes refused, filters as elsewhere."""

import pytest
from django.urls import reverse

from partnership.services.gates import PartnerOutcome, gate_decide

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff_user",
    "leader",
    "lead_clinic_leader",
    "joint_leader",
    "other_region_leader",
    "partner_user",
    "co_partner_user",
    "other_partner_user",
    "admin_user",
]
EVERYONE_OF_THE_REGION = {"leader", "lead_clinic_leader", "joint_leader", "admin_user"}
# Which instalments each role lists ("own" the partner's, "co" the co-partner's).
INSTALMENTS = {
    "staff_user": set(),
    "other_region_leader": set(),
    "other_partner_user": set(),
    "partner_user": {"own"},
    "co_partner_user": {"co"},
    **{role: {"own", "co"} for role in EVERYONE_OF_THE_REGION},
}
PHASE_READERS = EVERYONE_OF_THE_REGION | {"partner_user", "co_partner_user"}


@pytest.fixture
def decided(phase, leader, partner_organisation, co_partner_organisation, target, co_target):
    return gate_decide(
        phase=phase,
        actor=leader,
        note="Shared note.",
        outcomes={
            partner_organisation.pk: PartnerOutcome("go"),
            co_partner_organisation.pk: PartnerOutcome("no_go", "Only for the university."),
        },
    )


def _ids(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_details(request, role, token_client, phase, instalment, co_instalment, decided):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = token_client(user)
    phases_url, instalments_url = reverse("api:phase-list"), reverse("api:instalment-list")
    phase_detail = reverse("api:phase-detail", args=[phase.pk])
    if user is None:
        for url in (phases_url, instalments_url, phase_detail):
            assert client.get(url).status_code == 401
        return

    assert _ids(client, phases_url) == ({phase.pk} if role in PHASE_READERS else set())
    assert client.get(phase_detail).status_code == (200 if role in PHASE_READERS else 404)
    named = {"own": instalment.pk, "co": co_instalment.pk}
    assert _ids(client, instalments_url) == {named[n] for n in INSTALMENTS[role]}
    for name, pk in named.items():
        response = client.get(reverse("api:instalment-detail", args=[pk]))
        assert response.status_code == (200 if name in INSTALMENTS[role] else 404)
    # Read-only: writes are refused whoever asks.
    assert client.post(phases_url, {}, format="json").status_code in (403, 405)
    assert client.post(instalments_url, {}, format="json").status_code in (403, 405)


def test_a_partner_reads_only_its_own_part_of_a_phase(
    token_client,
    phase,
    partner_user,
    co_partner_user,
    leader,
    decided,
    partner_organisation,
    co_partner_organisation,
    target,
    co_target,
):
    url = reverse("api:phase-detail", args=[phase.pk])

    data = token_client(partner_user).get(url).json()
    assert [b["organisation"] for b in data["budgets"]] == [partner_organisation.pk]
    assert {t["id"] for t in data["targets"]} == {target.pk}
    (decision,) = data["gate_decisions"]
    assert decision["note"] == "Shared note."
    assert decision["outcomes"] == [
        {"organisation": partner_organisation.pk, "outcome": "go", "note": ""}
    ]
    assert {t["id"] for t in decision["evidence"]} == {target.pk}
    assert "Only for the university." not in str(data)

    data = token_client(co_partner_user).get(url).json()
    assert [o["note"] for o in data["gate_decisions"][0]["outcomes"]] == [
        "Only for the university."
    ]

    data = token_client(leader).get(url).json()
    assert len(data["budgets"]) == 2 and len(data["gate_decisions"][0]["outcomes"]) == 2
    assert {t["id"] for t in data["gate_decisions"][0]["evidence"]} == {target.pk, co_target.pk}


def test_filters_like_the_other_lists(token_client, leader, phase, instalment, other_region):
    client = token_client(leader)
    assert _ids(client, reverse("api:phase-list") + f"?stage={phase.agreement.project.stage}")
    # A region that is not the leader's is refused like a missing one.
    response = client.get(reverse("api:instalment-list") + f"?region={other_region.pk}")
    assert response.status_code == 400 and "region" in response.json()


def test_the_endpoints_are_in_the_schema(token_client, leader):
    schema = token_client(leader).get(reverse("api:schema")).content.decode()
    assert "/api/v1/phases/" in schema and "/api/v1/instalments/" in schema


@pytest.mark.parametrize("role", ["leader", "partner_user"])
def test_lists_cost_the_same_at_two_sizes(
    request, role, token_client, partnership_agreement, partner_organisation, leader
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import instalment_of, phase_with_budgets, target_of

    client = token_client(request.getfixturevalue(role))

    def grow(start, n):
        for number in range(start, start + n):
            phase = phase_with_budgets(
                partnership_agreement, number=number, ceilings={partner_organisation: "1000"}
            )
            instalment_of(target_of(phase, partner_organisation), partner_organisation, "10")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(1, 1)
    small = [count(reverse("api:phase-list")), count(reverse("api:instalment-list"))]
    grow(2, 5)
    assert [count(reverse("api:phase-list")), count(reverse("api:instalment-list"))] == small
