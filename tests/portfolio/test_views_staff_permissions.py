"""Who may open which staff page: every URL × every role, for an idea of ``staff_user``."""

import pytest
from django.urls import reverse

from clinics.selectors import clinics_visible_to
from core.models import Notification
from portfolio.models import Idea, IdeaQuestion
from portfolio.services.ideas import idea_create
from tests.portfolio.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff_user",
    "other_clinic_staff",
    "leader",
    "other_region_leader",
    "partner_user",
    "other_partner_user",
    "admin_user",
]

# GET pages: expected status per role (302 = to the login page). The superuser (admin_user)
# reads what a leader of every region reads, but has no clinic of its own to submit ideas in.
STAFF_ONLY = dict(zip(ROLES, [302, 200, 200, 403, 403, 403, 403, 403], strict=True))
THE_IDEA = dict(zip(ROLES, [302, 200, 404, 200, 404, 404, 404, 200], strict=True))
EDIT_THE_IDEA = dict(zip(ROLES, [302, 200, 404, 403, 403, 403, 403, 403], strict=True))
EVERYONE = dict(zip(ROLES, [302, 200, 200, 200, 200, 200, 200, 200], strict=True))
# Staff and leaders (superusers too) record their own innovation time; partners do not.
RECORDS_TIME = dict(zip(ROLES, [302, 200, 200, 200, 200, 403, 403, 200], strict=True))
THE_CLINIC = dict(zip(ROLES, [302, 200, 404, 200, 404, 404, 404, 200], strict=True))
# Redirects to one's own clinic's help (the login for anonymous); the other region has no
# clinic in this world, so its leader, like partners, has no help page to go to.
MY_HELP = dict(zip(ROLES, [302, 302, 302, 302, 404, 404, 404, 302], strict=True))
# Only its recipient (staff_user) follows a notification; everyone else: not found.
THE_NOTIFICATION = dict(zip(ROLES, [302, 302, 404, 404, 404, 404, 404, 404], strict=True))

GET_PAGES = [
    ("portfolio:my_ideas", None, STAFF_ONLY),
    ("portfolio:idea_create", None, STAFF_ONLY),
    ("portfolio:similar_ideas", None, STAFF_ONLY),
    ("portfolio:challenges_open", None, STAFF_ONLY),
    # Its POST per role: tests/portfolio/test_innovation_time.py::test_page_matrix.
    ("portfolio:my_innovation_time", None, RECORDS_TIME),
    ("portfolio:idea_detail", "idea", THE_IDEA),
    ("portfolio:idea_update", "idea", EDIT_THE_IDEA),
    ("portfolio:idea_attachment", "attachment", THE_IDEA),
    ("portfolio:notifications", None, EVERYONE),
    ("portfolio:notification_settings", None, EVERYONE),
    ("portfolio:clinic_detail", "clinic", THE_CLINIC),
    ("clinics:help", "clinic", THE_CLINIC),
    ("clinics:my_help", None, MY_HELP),
    ("portfolio:notification_open", "notification", THE_NOTIFICATION),
]

# Where a logged-in person's 302 goes, per page: their clinic's help, the notification's link.
REDIRECT_TARGETS = {
    "clinics:my_help": {
        "staff_user": lambda idea, request: reverse("clinics:help", args=[idea.clinic_id]),
        "other_clinic_staff": lambda idea, request: reverse(
            "clinics:help", args=[request.getfixturevalue("other_clinic").pk]
        ),
        # The leader of the whole region: the first of their clinics.
        "leader": lambda idea, request: reverse(
            "clinics:help",
            args=[clinics_visible_to(request.getfixturevalue("leader")).first().pk],
        ),
        # A superuser leads every clinic: the first of them.
        "admin_user": lambda idea, request: reverse(
            "clinics:help",
            args=[clinics_visible_to(request.getfixturevalue("admin_user")).first().pk],
        ),
    },
    "portfolio:notification_open": {
        "staff_user": lambda idea, request: reverse("portfolio:idea_detail", args=[idea.pk]),
    },
}

# POST actions by anyone but the submitter: login, 403 for other roles, 404 for other staff.
NOT_THE_SUBMITTER = dict(zip(ROLES, [302, None, 404, 403, 403, 403, 403, 403], strict=True))
POST_ACTIONS = [
    "portfolio:idea_submit",
    "portfolio:idea_withdraw",
    "portfolio:idea_answer",
    "portfolio:idea_update",
]


@pytest.fixture
def idea(staff_user, leader):
    """An idea that needs more information: editable, answerable, and visible to leaders."""
    idea, _ = idea_create(
        submitter=staff_user,
        title="Text reminders",
        problem="Patients forget visits.",
        attachments=[upload("routine.pdf", PDF_BYTES)],
        submit=True,
    )
    IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="How often?")
    from portfolio.services.idea_lifecycle import idea_transition

    idea = idea_transition(idea=idea, to_status=Idea.Status.NEEDS_INFO, actor=leader)
    # The leader's question told the submitter: one notification, linking to the idea.
    assert Notification.objects.get(recipient=staff_user).url == reverse(
        "portfolio:idea_detail", args=[idea.pk]
    )
    return idea


def _url(name, kind, idea):
    if kind == "notification":
        notification = Notification.objects.get(recipient=idea.submitter)
        return reverse(name, args=[notification.pk])
    if kind == "idea":
        return reverse(name, args=[idea.pk])
    if kind == "attachment":
        return reverse(name, args=[idea.pk, idea.attachments.get().pk])
    if kind == "clinic":
        return reverse(name, args=[idea.clinic_id])
    return reverse(name)


def _log_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kind", "expected"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_get_pages(client, request, idea, role, name, kind, expected):
    _log_in(client, request, role)

    response = client.get(_url(name, kind, idea))

    assert response.status_code == expected[role]
    if expected[role] == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif expected[role] == 302:
        assert response["Location"] == REDIRECT_TARGETS[name][role](idea, request)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff_user"])
@pytest.mark.parametrize("name", POST_ACTIONS)
def test_post_actions_by_anyone_but_the_submitter_change_nothing(client, request, idea, role, name):
    _log_in(client, request, role)
    question = idea.questions.get()
    args = [idea.pk, question.pk] if name == "portfolio:idea_answer" else [idea.pk]

    response = client.post(
        reverse(name, args=args),
        {"title": "Taken over", "problem": "x", f"q{question.pk}-answer": "Hijacked"},
    )

    assert response.status_code == NOT_THE_SUBMITTER[role]
    idea.refresh_from_db()
    question.refresh_from_db()
    assert (idea.title, idea.status, question.answer) == ("Text reminders", "needs_info", "")


def test_staff_cannot_open_a_colleagues_draft_or_its_attachment(client, idea, other_clinic_staff):
    from tests.clinics.factories import StaffFactory

    colleague = StaffFactory(clinic=idea.clinic)
    client.force_login(colleague)

    assert client.get(reverse("portfolio:idea_detail", args=[idea.pk])).status_code == 404
    attachment_url = reverse("portfolio:idea_attachment", args=[idea.pk, idea.attachments.get().pk])
    assert client.get(attachment_url).status_code == 404
