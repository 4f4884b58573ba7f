"""Every form that edits what someone else may edit too goes through one optimistic lock
(``core.concurrency.check_version``): a missing, damaged or stale version is refused and
nothing is written; the current version is accepted.

Before the one lock, the idea edit form and the agreement edit form skipped the check when
their hidden field was missing, and ``agreement_confirm`` skipped it when called without one:
a page or a script that did not say what it was based on overwrote (or signed) whatever was
there.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Milestone
from partners.services.agreements import agreement_confirm, agreement_edit, agreement_transition
from partners.services.milestones import milestone_edit
from portfolio.models import Challenge, Idea, Project, gate_criteria_keys
from portfolio.services.challenges import challenge_update
from portfolio.services.ideas import idea_update
from portfolio.services.projects import status_update_post
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@dataclass
class Locked:
    """One locked form: who posts what where, and how to tell whether it was written."""

    user: Any
    url: str
    data: dict
    token: str  # the hidden field that carries the version
    version: Any  # what the page shows in it now
    saved: Any  # callable: True once the post was written
    someone_else_saves: Any  # callable: another person's save meanwhile
    stale_status: int  # what the page answers a stale form (409, or 400 where it always did)


def _milestone_progress(w):
    milestone = w["milestone"]
    return Locked(
        user=w["partner_user"],
        url=reverse("partners:milestone_detail", args=[milestone.pk]),
        data={"status": "in_progress", "progress": 40, "comment": "Mine"},
        token="version",
        version=milestone.version,
        saved=lambda: Milestone.objects.get(pk=milestone.pk).progress == 40,
        someone_else_saves=lambda: milestone_edit(
            milestone=milestone, actor=w["leader"], expected_version=1, title="Colleague's"
        ),
        stale_status=409,
    )


def _milestone_plan(w):
    milestone = w["milestone"]
    return Locked(
        user=w["leader"],
        url=reverse("partners:milestone_edit", args=[milestone.pk]),
        data={"title": "My title", "due_on": "2031-01-01"},
        token="version",
        version=milestone.version,
        saved=lambda: Milestone.objects.get(pk=milestone.pk).title == "My title",
        someone_else_saves=lambda: milestone_edit(
            milestone=milestone, actor=w["leader"], expected_version=1, title="Colleague's"
        ),
        stale_status=409,
    )


def _done_milestone(w):
    return MilestoneFactory(
        project=w["project"],
        responsible_party=w["partner_organisation"],
        responsible_leader=w["leader"],
        status="done",
        progress=100,
        completed_on=timezone.localdate(),
    )


def _bump(milestone):
    def save():
        Milestone.objects.filter(pk=milestone.pk).update(version=F("version") + 1)

    return save


def _milestone_confirm(w):
    done = _done_milestone(w)
    return Locked(
        user=w["leader"],
        url=reverse("partners:milestone_confirm", args=[done.pk]),
        data={},
        token="version",
        version=done.version,
        saved=lambda: Milestone.objects.get(pk=done.pk).confirmed_at is not None,
        someone_else_saves=_bump(done),
        stale_status=409,
    )


def _milestone_reopen(w):
    done = _done_milestone(w)
    return Locked(
        user=w["leader"],
        url=reverse("partners:milestone_reopen", args=[done.pk]),
        data={"reason": "The report is missing."},
        token="version",
        version=done.version,
        saved=lambda: Milestone.objects.get(pk=done.pk).status != "done",
        someone_else_saves=_bump(done),
        stale_status=409,
    )


def _idea(w):
    idea = IdeaFactory(submitter=w["staff_user"], title="Original")
    return Locked(
        user=w["staff_user"],
        url=reverse("portfolio:idea_update", args=[idea.pk]),
        data={
            "title": "Mine",
            "problem": idea.problem,
            "clinic": w["staff_user"].clinic_id,
            "action": "draft",
        },
        token="version",
        version=idea.version,
        saved=lambda: Idea.objects.get(pk=idea.pk).title == "Mine",
        someone_else_saves=lambda: idea_update(
            idea=idea,
            actor=w["staff_user"],
            data={"title": "Other tab"},
            expected_version=idea.version,
        ),
        stale_status=400,  # the idea form has always answered a stale form with 400
    )


def _challenge(w):
    challenge = ChallengeFactory(clinic=w["clinic"], posted_by=w["leader"], title="Original")
    fields = {
        "region": w["clinic"].region_id,
        "clinic": w["clinic"].pk,
        "title": "Mine",
        "description": challenge.description,
        "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }
    return Locked(
        user=w["leader"],
        url=reverse("portfolio:leader_challenge_edit", args=[challenge.pk]),
        data=fields,
        token="version",
        version=challenge.version,
        saved=lambda: Challenge.objects.get(pk=challenge.pk).title == "Mine",
        someone_else_saves=lambda: challenge_update(
            challenge=challenge,
            actor=w["leader"],
            expected_version=challenge.version,
            region=challenge.region,
            clinic=challenge.clinic,
            title="Colleague's",
            description=challenge.description,
            closes_on=challenge.closes_on,
        ),
        stale_status=409,
    )


def _stage(w):
    project = w["project"]
    return Locked(
        user=w["leader"],
        url=reverse("portfolio:project_detail", args=[project.pk]),
        data={
            "action": "stage",
            "to_stage": "development",
            "criteria": [f"development:{key}" for key in gate_criteria_keys("development")],
            "note": "Go",
        },
        token="version",
        version=Project.objects.get(pk=project.pk).version,
        saved=lambda: Project.objects.get(pk=project.pk).stage == "development",
        # Not a gate: a status update that changes the health counts as a change too.
        someone_else_saves=lambda: status_update_post(
            project=project, author=w["leader"], health="at_risk", text="Budget"
        ),
        stale_status=409,
    )


def _agreement_edit(w):
    draft = agreement_with_parties(w["partner_organisation"], project=w["project"], status="draft")
    parties = [
        {"organisation": "", "risk": "30", "value": "30"},
        {"organisation": w["partner_organisation"].pk, "risk": "70", "value": "70"},
    ]
    data = {
        "title": "My title",
        "responsibilities": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "2",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, party in enumerate(parties):
        prefix = f"parties-{index}"
        data |= {
            f"{prefix}-organisation": party["organisation"],
            f"{prefix}-risk_share": party["risk"],
            f"{prefix}-value_share": party["value"],
            f"{prefix}-contribution_hours": "0",
            f"{prefix}-contribution_money": "0",
        }

    def colleague():
        from partners.services.agreements import _party_dicts

        agreement_edit(
            agreement=draft,
            actor=w["leader"],
            parties=_party_dicts(draft),
            expected_revision=Agreement.objects.get(pk=draft.pk).revision,
            responsibilities="Colleague's",
        )

    return Locked(
        user=w["leader"],
        url=reverse("partners:agreement_edit", args=[draft.pk]),
        data=data,
        token="revision",
        version=draft.revision,
        saved=lambda: Agreement.objects.get(pk=draft.pk).title == "My title",
        someone_else_saves=colleague,
        stale_status=400,  # the agreement form has always answered a stale form with 400
    )


def _agreement_confirm(w):
    agreement = w["agreement"]

    def withdrawn_and_proposed_again():
        agreement_transition(agreement=agreement, actor=w["leader"], to_status="draft")
        agreement_transition(agreement=agreement, actor=w["leader"], to_status="proposed")

    return Locked(
        user=w["partner_user"],
        url=reverse("partners:agreement_confirm", args=[agreement.pk]),
        data={"may_sign": "on"},
        token="revision",
        version=agreement.revision,
        saved=lambda: agreement.parties.filter(confirmed_by=w["partner_user"]).exists(),
        someone_else_saves=withdrawn_and_proposed_again,
        stale_status=409,
    )


FORMS = {
    "milestone progress": _milestone_progress,
    "milestone plan": _milestone_plan,
    "milestone confirm": _milestone_confirm,
    "milestone reopen": _milestone_reopen,
    "idea edit": _idea,
    "challenge edit": _challenge,
    "project stage": _stage,
    "agreement edit": _agreement_edit,
    "agreement confirm": _agreement_confirm,
}


@pytest.fixture
def world(staff_user, leader, clinic, project, agreement, partner_organisation, partner_user):
    for person in (staff_user, leader, partner_user):
        person.preferred_language = "en"
        person.save()
    return {
        "staff_user": staff_user,
        "leader": leader,
        "clinic": clinic,
        "project": project,
        "agreement": agreement,
        "partner_organisation": partner_organisation,
        "partner_user": partner_user,
        "milestone": MilestoneFactory(
            project=project, responsible_party=partner_organisation, responsible_leader=leader
        ),
    }


def _post(locked: Locked, **token):
    client = Client()
    client.force_login(locked.user)
    return client.post(locked.url, locked.data | token)


@pytest.mark.parametrize("name", FORMS)
def test_the_current_version_is_accepted(world, name):
    locked = FORMS[name](world)

    response = _post(locked, **{locked.token: locked.version})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert locked.saved()


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("token", [None, "", "x", "0", "-1", "1.5"], ids=repr)
def test_a_missing_or_damaged_version_is_refused(world, name, token):
    locked = FORMS[name](world)

    response = _post(locked, **({} if token is None else {locked.token: token}))

    assert response.status_code in (302, 400, 409)  # 302: back to the page with a message
    assert not locked.saved()


@pytest.mark.parametrize("name", FORMS)
def test_a_stale_version_is_refused(world, name):
    locked = FORMS[name](world)
    locked.someone_else_saves()

    response = _post(locked, **{locked.token: locked.version})

    assert response.status_code == locked.stale_status
    assert not locked.saved()
    assert "meanwhile" in response.content.decode() or "after you opened it" in (
        response.content.decode()
    )


def test_the_services_refuse_a_caller_that_does_not_say_which_version_it_read(world):
    """Scripts and other callers of the services get no way around the check either."""
    from django.core.exceptions import ValidationError

    from partners.services.milestones import milestone_update
    from portfolio.services.projects import project_change_stage

    agreement, leader = world["agreement"], world["leader"]
    idea = IdeaFactory(submitter=world["staff_user"])
    challenge = ChallengeFactory(clinic=world["clinic"], posted_by=leader)
    calls = {
        "agreement_confirm": lambda: agreement_confirm(
            agreement=agreement, actor=world["partner_user"], expected_revision=None
        ),
        "idea_update": lambda: idea_update(
            idea=idea, actor=world["staff_user"], data={"title": "X"}, expected_version=None
        ),
        "challenge_update": lambda: challenge_update(
            challenge=challenge,
            actor=leader,
            expected_version=None,
            region=challenge.region,
            clinic=challenge.clinic,
            title="X",
            description="X",
            closes_on=challenge.closes_on,
        ),
        "project_change_stage": lambda: project_change_stage(
            project=world["project"],
            to_stage="pilot",
            actor=leader,
            note="Go",
            expected_version=None,
        ),
        "milestone_update": lambda: milestone_update(
            milestone=world["milestone"],
            actor=leader,
            expected_version=None,
            status="in_progress",
            progress=10,
        ),
    }

    for name, call in calls.items():
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "stale", name
    assert not agreement.parties.filter(confirmed_at__isnull=False).exists()
