"""A world for the site's search: one matching object of each kind in each of two regions.

Every object's title holds the word "zebra". Region A (``clinic``, ``other_clinic``) has an
idea of ``staff_user`` (submitted), a colleague's submitted idea and draft, a project of
``clinic`` with ``partner_user``'s organisation party to it, a challenge, a milestone; region B
(``foreign_clinic``) the same, with ``other_partner_user``'s organisation party to its project.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from partners.models import Agreement
from tests.clinics.factories import StaffFactory, UserFactory
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory


@pytest.fixture(name="search_world")
def search_world_fixture(
    clinic,
    foreign_clinic,
    staff_user,
    leader,
    other_region_leader,
    partner_organisation,
    other_partner_organisation,
):
    colleague = StaffFactory(clinic=clinic)
    foreign_staff = StaffFactory(clinic=foreign_clinic)
    partner_organisation.name = "Zebra Medtech AB"
    partner_organisation.save()
    other_partner_organisation.name = "Zebra Foreign A/S"
    other_partner_organisation.save()
    project_a = ProjectFactory(lead_clinic=clinic, owner=leader, title="Zebra crossing triage")
    project_b = ProjectFactory(
        lead_clinic=foreign_clinic, owner=other_region_leader, title="Zebra sepsis alarm"
    )
    agreement_with_parties(partner_organisation, project=project_a, status=Agreement.Status.ACTIVE)
    agreement_with_parties(
        other_partner_organisation, project=project_b, status=Agreement.Status.ACTIVE
    )
    objects = {
        "idea_own": IdeaFactory(submitter=staff_user, title="Zebra reminders", submitted=True),
        "idea_colleague": IdeaFactory(submitter=colleague, title="Zebra stripes", submitted=True),
        "idea_colleague_draft": IdeaFactory(submitter=colleague, title="Zebra draft"),
        "idea_foreign": IdeaFactory(submitter=foreign_staff, title="Zebra akut", submitted=True),
        "project_a": project_a,
        "project_b": project_b,
        "challenge_a": ChallengeFactory(clinic=clinic, posted_by=leader, title="Zebra need"),
        "challenge_a_partners": ChallengeFactory(
            clinic=None,
            region=clinic.region,
            posted_by=leader,
            title="Zebra open call",
            open_to_partners=True,
        ),
        "challenge_b": ChallengeFactory(
            clinic=foreign_clinic, posted_by=other_region_leader, title="Zebra behov"
        ),
        "milestone_a": MilestoneFactory(
            project=project_a, responsible_party=partner_organisation, title="Zebra pilot"
        ),
        "milestone_b": MilestoneFactory(
            project=project_b, responsible_party=other_partner_organisation, title="Zebra pilot B"
        ),
        "organisation_a": partner_organisation,
        "organisation_b": other_partner_organisation,
        "no_role_user": UserFactory(role="admin"),
    }
    return SimpleNamespace(**objects)


def hit_url(key: str, obj, *, leader: bool) -> str:
    """The page a hit on ``obj`` opens (as insights.selectors.search links it)."""
    kind = key.split("_")[0]
    if kind == "idea":
        return reverse("portfolio:idea_detail", args=[obj.pk])
    if kind == "project":
        return reverse("portfolio:project_detail", args=[obj.pk])
    if kind == "milestone":
        return reverse("partners:milestone_detail", args=[obj.pk])
    if kind == "challenge":
        if leader:
            return reverse("portfolio:leader_challenge_edit", args=[obj.pk])
        return f"{reverse('portfolio:challenges_open')}#challenge-{obj.pk}"
    if leader:
        return reverse("partners:organisation_detail", args=[obj.pk])
    return reverse("partners:home")
