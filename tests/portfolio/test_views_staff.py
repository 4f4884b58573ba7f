import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Idea, IdeaQuestion, IdeaStatusChange, Notification, StageChange
from portfolio.services.idea_lifecycle import idea_transition
from portfolio.services.ideas import idea_create
from tests.clinics.factories import StaffFactory
from tests.portfolio.conftest import PDF_BYTES, PNG_BYTES, upload
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("portfolio:idea_create")


def _post_data(user, client, **overrides):
    token = client.get(CREATE).context["form"]["submission_token"].value()
    data = {
        "title": "Text reminders before visits",
        "problem": "Patients forget their appointments.",
        "clinic": user.clinic_id,
        "submission_token": token,
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, staff_user):
    staff_user.preferred_language = "en"
    staff_user.save()
    client.force_login(staff_user)
    return client


def test_home_sends_staff_to_my_ideas(staff_client):
    response = staff_client.get(reverse("home"))

    assert response["Location"] == reverse("portfolio:my_ideas")


def test_submitting_an_idea_with_an_attachment(staff_client, staff_user, leader):
    data = _post_data(staff_user, staff_client, attachments=upload("photo.png", PNG_BYTES))

    response = staff_client.post(CREATE, data, follow=True)

    idea = Idea.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portfolio:idea_detail", args=[idea.pk])
    assert idea.status == Idea.Status.SUBMITTED
    assert idea.assigned_leader == leader
    assert idea.attachments.get().original_name == "photo.png"
    assert "photo.png" in response.content.decode()


def test_saving_a_draft_does_not_submit(staff_client, staff_user):
    staff_client.post(CREATE, _post_data(staff_user, staff_client, action="draft"))

    assert Idea.objects.get().status == Idea.Status.DRAFT
    assert not Notification.objects.exists()


def test_a_double_submit_creates_one_idea(staff_client, staff_user, leader):
    data = _post_data(staff_user, staff_client)

    first = staff_client.post(CREATE, data)
    second = staff_client.post(CREATE, data)

    idea = Idea.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("portfolio:idea_detail", args=[idea.pk])
    )
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_an_invalid_submit_keeps_every_typed_value_and_names_the_file(staff_client, staff_user):
    data = _post_data(
        staff_user,
        staff_client,
        title="",
        proposal="Send an SMS the day before",
        benefit_staff="Fewer empty slots",
        attachments=upload("photo.png", PNG_BYTES),
    )

    response = staff_client.post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Patients forget their appointments." in html
    assert "Send an SMS the day before" in html
    assert "Fewer empty slots" in html
    assert "photo.png" in html and "choose the file again" in html
    assert str(data["submission_token"]) in html
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"title": "x" * 5000},
        {"problem": ""},
        {"clinic": "999999"},
        {"clinic": "not-a-number"},
        {"challenge": "999999"},
        {"attachments": upload("x.png", b"<svg onload=alert(1)>")},
    ],
)
def test_bad_input_is_a_400_with_a_message_never_a_500(staff_client, staff_user, bad):
    response = staff_client.post(CREATE, _post_data(staff_user, staff_client, **bad))

    assert response.status_code == 400
    assert 'class="alert alert-danger" role="alert"' in response.content.decode()
    assert not Idea.objects.exists()


def test_a_damaged_submission_token_does_not_block_the_idea(staff_client, staff_user):
    response = staff_client.post(
        CREATE, _post_data(staff_user, staff_client, submission_token="not-a-uuid")
    )

    assert response.status_code == 302
    assert Idea.objects.get().submission_token is None


def test_a_foreign_challenge_id_in_the_query_string_is_not_preset(staff_client, foreign_clinic):
    foreign = ChallengeFactory(clinic=foreign_clinic)

    response = staff_client.get(CREATE, {"challenge": foreign.pk})

    assert response.context["form"]["challenge"].value() is None
    assert staff_client.get(CREATE, {"challenge": "abc"}).status_code == 200


def test_answering_a_challenge_presets_it(staff_client, clinic):
    challenge = ChallengeFactory(clinic=clinic, title="Shorter waits")

    page = staff_client.get(reverse("portfolio:challenges_open")).content.decode()
    assert "Shorter waits" in page
    response = staff_client.get(CREATE, {"challenge": challenge.pk})

    assert response.context["form"]["challenge"].value() == challenge.pk


def test_html_in_texts_is_shown_escaped(staff_client, staff_user):
    script = "<script>alert('x')</script>"
    staff_client.post(
        CREATE, _post_data(staff_user, staff_client, title=script, problem=script, action="draft")
    )
    idea = Idea.objects.get()

    for url in (reverse("portfolio:my_ideas"), reverse("portfolio:idea_detail", args=[idea.pk])):
        html = staff_client.get(url).content.decode()
        assert script not in html
        assert "&lt;script&gt;" in html


def test_editing_a_draft_and_refusing_a_stale_form(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user)
    url = reverse("portfolio:idea_update", args=[idea.pk])
    form = staff_client.get(url).context["form"]
    data = {
        "title": "Better title",
        "problem": idea.problem,
        "clinic": staff_user.clinic_id,
        "version": form["version"].value(),
        "action": "draft",
    }

    assert staff_client.post(url, data).status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Better title"

    # The same (now old) form posted again, e.g. from a second tab: nothing is overwritten.
    response = staff_client.post(url, {**data, "title": "Old tab"})
    assert response.status_code == 400
    assert "another window" in response.content.decode()
    idea.refresh_from_db()
    assert idea.title == "Better title"


def test_a_submitted_idea_cannot_be_edited(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user, submitted=True)

    response = staff_client.get(reverse("portfolio:idea_update", args=[idea.pk]))

    assert response["Location"] == reverse("portfolio:idea_detail", args=[idea.pk])


def test_submit_and_withdraw_from_the_idea_page(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user)

    staff_client.post(reverse("portfolio:idea_submit", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
    staff_client.post(reverse("portfolio:idea_withdraw", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN
    # A second withdraw is refused with a message, not a 500.
    response = staff_client.post(reverse("portfolio:idea_withdraw", args=[idea.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()


def test_answering_a_question_on_the_idea_page(staff_client, staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    question = IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="<b>How</b> often?")
    idea_transition(idea=idea, to_status=Idea.Status.NEEDS_INFO, actor=leader)
    url = reverse("portfolio:idea_answer", args=[idea.pk, question.pk])

    page = staff_client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()
    assert "&lt;b&gt;How&lt;/b&gt; often?" in page
    assert staff_client.post(url, {f"q{question.pk}-answer": ""}).status_code == 400
    assert staff_client.post(url, {f"q{question.pk}-answer": "Every day"}).status_code == 302

    question.refresh_from_db()
    idea.refresh_from_db()
    assert question.answer == "Every day"
    assert idea.status == Idea.Status.SUBMITTED
    assert staff_client.post(url, {f"q{question.pk}-answer": "Again"}).status_code == 400


def test_a_question_of_another_idea_is_not_found(staff_client, staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    other = IdeaFactory(submitted=True)
    question = IdeaQuestion.objects.create(idea=other, asked_by=leader, question="?")

    url = reverse("portfolio:idea_answer", args=[idea.pk, question.pk])

    assert staff_client.post(url, {f"q{question.pk}-answer": "x"}).status_code == 404


def test_the_idea_page_shows_one_timeline_into_the_projects_stages(
    staff_client, staff_user, leader
):
    idea, _ = idea_create(submitter=staff_user, title="Reminders", problem="p", submit=True)
    IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="Which patients?")
    idea = idea_transition(idea=idea, to_status=Idea.Status.ACCEPTED, actor=leader)
    project = ProjectFactory(idea=idea, lead_clinic=staff_user.clinic, owner=leader, title="SMS")
    StageChange.objects.create(
        project=project, from_stage="concept", to_stage="pilot", decided_by=leader, note="Go"
    )

    response = staff_client.get(reverse("portfolio:idea_detail", args=[idea.pk]))

    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["status", "question", "status", "stage"]
    html = response.content.decode()
    assert "Pilot in the clinic" in html
    assert str(leader) in html
    assert "it became the project" in html


def test_attachment_download_headers(staff_client, staff_user):
    idea, _ = idea_create(
        submitter=staff_user,
        title="t",
        problem="p",
        attachments=[upload("Vård plan.pdf", PDF_BYTES)],
    )

    response = staff_client.get(
        reverse("portfolio:idea_attachment", args=[idea.pk, idea.attachments.get().pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "V%C3%A5rd%20plan.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_similar_ideas_show_the_region_without_others_drafts(
    staff_client, staff_user, other_clinic, foreign_clinic, leader
):
    colleague = StaffFactory(clinic=other_clinic)
    IdeaFactory(submitter=colleague, title="Reminder texts for dental visits", submitted=True)
    IdeaFactory(submitter=colleague, title="Reminder texts secret draft")
    IdeaFactory(
        submitter=StaffFactory(clinic=foreign_clinic), title="Reminder texts abroad", submitted=True
    )
    ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Reminder texts project")

    response = staff_client.get(
        reverse("portfolio:similar_ideas"), {"title": "Reminder texts", "problem": ""}
    )

    html = response.content.decode()
    assert "Reminder texts for dental visits" in html
    assert "Reminder texts project" in html
    assert "secret draft" not in html
    assert "abroad" not in html
    # Others' ideas: title and status only, no link to a page they may not open.
    assert "/portfolio/ideas/" not in html


def test_notification_badge_list_and_settings(staff_client, staff_user):
    Notification.objects.create(recipient=staff_user, message="Your idea is now: In review")

    page = staff_client.get(reverse("portfolio:my_ideas")).content.decode()
    assert re.search(r"Notifications <span[^>]*>1<", page)
    assert (
        "Your idea is now" in staff_client.get(reverse("portfolio:notifications")).content.decode()
    )
    staff_client.post(reverse("portfolio:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()

    staff_client.post(reverse("portfolio:notification_settings"), {"notify_in_app": "on"})
    staff_user.refresh_from_db()
    assert (staff_user.notify_in_app, staff_user.notify_by_email) == (True, False)


def test_pages_have_no_inline_script_or_style_and_a_fluid_form(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user)
    for url in (
        CREATE,
        reverse("portfolio:my_ideas"),
        reverse("portfolio:idea_detail", args=[idea.pk]),
        reverse("clinics:detail", args=[staff_user.clinic_id]),
    ):
        html = staff_client.get(url).content.decode()
        assert "style=" not in html
        assert "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_ideas_query_count_does_not_grow_with_ideas(staff_client, staff_user, leader):
    def add_ideas(n):
        for _ in range(n):
            idea = IdeaFactory(submitter=staff_user, submitted=True)
            IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="?")
            idea = idea_transition(idea=idea, to_status=Idea.Status.ACCEPTED, actor=leader)
            ProjectFactory(idea=idea, lead_clinic=staff_user.clinic, owner=leader)

    url = reverse("portfolio:my_ideas")
    add_ideas(2)
    few = _count_queries(staff_client, url)
    add_ideas(10)
    many = _count_queries(staff_client, url)

    assert few == many
    assert many <= 10
    assert IdeaStatusChange.objects.count() == 12


def test_clinic_page_query_count_does_not_grow_with_projects(staff_client, staff_user, leader):
    from tests.clinics.factories import SupportContactFactory

    url = reverse("clinics:detail", args=[staff_user.clinic_id])

    def add(n):
        for _ in range(n):
            ProjectFactory(lead_clinic=staff_user.clinic, owner=leader)
            SupportContactFactory(clinic=staff_user.clinic)
            IdeaFactory(submitter=StaffFactory(clinic=staff_user.clinic), submitted=True)

    add(2)
    few = _count_queries(staff_client, url)
    add(10)
    many = _count_queries(staff_client, url)

    assert few == many
    assert many <= 10


def test_leaders_see_the_idea_page_without_the_submitters_actions(client, staff_user, leader):
    idea, _ = idea_create(submitter=staff_user, title="Reminders", problem="p", submit=True)
    client.force_login(leader)

    html = client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()

    assert "Reminders" in html
    assert reverse("portfolio:idea_update", args=[idea.pk]) not in html
    assert reverse("portfolio:idea_withdraw", args=[idea.pk]) not in html


def test_staff_never_see_review_scores_or_comments(staff_client, staff_user):
    from tests.portfolio.factories import ReviewFactory

    idea = IdeaFactory(submitter=staff_user, submitted=True)
    ReviewFactory(idea=idea, comment="Internal: weak business case")

    html = staff_client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()

    assert "weak business case" not in html


def test_idea_page_query_count_does_not_grow_with_the_timeline(staff_client, staff_user, leader):
    idea, _ = idea_create(submitter=staff_user, title="t", problem="p", submit=True)
    url = reverse("portfolio:idea_detail", args=[idea.pk])

    def add(n):
        for _ in range(n):
            IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="?")
            idea.attachments.create(
                file="x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=1,
                uploaded_by=staff_user,
            )

    add(1)
    few = _count_queries(staff_client, url)
    add(8)
    many = _count_queries(staff_client, url)

    assert few == many


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    staff_client, staff_user, other_clinic_staff
):
    mine = Notification.objects.create(
        recipient=staff_user, message="m", url="/portfolio/ideas/mine/"
    )
    outside = Notification.objects.create(
        recipient=staff_user, message="o", url="https://evil.example/phish"
    )
    theirs = Notification.objects.create(recipient=other_clinic_staff, message="t", url="/")

    response = staff_client.get(reverse("portfolio:notification_open", args=[mine.pk]))
    assert response["Location"] == "/portfolio/ideas/mine/"
    mine.refresh_from_db()
    assert mine.read_at is not None

    response = staff_client.get(reverse("portfolio:notification_open", args=[outside.pk]))
    assert response["Location"] == reverse("portfolio:notifications")
    assert (
        staff_client.get(reverse("portfolio:notification_open", args=[theirs.pk])).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None
