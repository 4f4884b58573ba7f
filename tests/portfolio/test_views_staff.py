import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification
from portfolio.models import (
    Idea,
    IdeaQuestion,
    IdeaStatusChange,
    StageChange,
    ValueMeasurement,
)
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
    # Others' ideas: title, clinic and status only, no link to a page they may not open.
    assert "/portfolio/ideas/" not in html
    assert "Bjurholms hälsocentral, submitted" in html


def test_similar_ideas_never_show_or_match_others_problem_texts(
    staff_client, staff_user, other_clinic
):
    colleague = StaffFactory(clinic=other_clinic)
    IdeaFactory(
        submitter=colleague,
        title="Reminder texts",
        problem="Our patients with dementia miss appointments.",
        submitted=True,
    )
    url = reverse("portfolio:similar_ideas")

    found = staff_client.get(url, {"title": "Reminder texts"}).content.decode()
    probe = staff_client.get(url, {"title": "", "problem": "dementia appointments"})

    assert "Reminder texts" in found
    assert "dementia" not in found
    assert "Reminder texts" not in probe.content.decode()


def test_notification_badge_list_and_settings(staff_client, staff_user):
    Notification.objects.create(recipient=staff_user, message="Your idea is now: In review")

    page = staff_client.get(reverse("portfolio:my_ideas")).content.decode()
    # The bell's name for screen readers, then the count of unread ones.
    assert re.search(r"Notifications</span> <span[^>]*>1<", page)
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
        reverse("portfolio:clinic_detail", args=[staff_user.clinic_id]),
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

    url = reverse("portfolio:clinic_detail", args=[staff_user.clinic_id])

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


# --- Withdrawing, crafted input, one-line titles, chosen files --------------------------------


def test_a_draft_can_be_withdrawn_from_its_page(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user, title="Half an idea")
    page = staff_client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()
    assert reverse("portfolio:idea_withdraw", args=[idea.pk]) in page

    response = staff_client.post(reverse("portfolio:idea_withdraw", args=[idea.pk]), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your idea was withdrawn." in html
    assert "violated" not in html
    idea.refresh_from_db()
    assert (idea.status, idea.submitted_at) == (Idea.Status.WITHDRAWN, None)
    assert IdeaStatusChange.objects.get(idea=idea).to_status == Idea.Status.WITHDRAWN


@pytest.mark.parametrize("value", ["²", "١٢", "99999999999999999999999", "-1", " 1"])
def test_a_crafted_challenge_id_in_the_query_string_is_ignored(staff_client, value):
    response = staff_client.get(CREATE, {"challenge": value})

    assert response.status_code == 200
    assert response.context["form"]["challenge"].value() is None


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "x"])
def test_a_crafted_exclude_id_for_similar_ideas_is_ignored(staff_client, staff_user, value):
    IdeaFactory(submitter=staff_user, title="Reminder texts", submitted=True)

    response = staff_client.get(
        reverse("portfolio:similar_ideas"), {"title": "Reminder texts", "exclude": value}
    )

    assert response.status_code == 200
    assert "Reminder texts" in response.content.decode()


@pytest.mark.parametrize("version", ["2024-02-30T10:00:00", "2024-13-01T10:00:00", "yesterday"])
def test_an_edit_with_a_damaged_version_is_a_stale_form(staff_client, staff_user, version):
    idea = IdeaFactory(submitter=staff_user, title="Original")
    url = reverse("portfolio:idea_update", args=[idea.pk])
    data = {
        "title": "Changed",
        "problem": idea.problem,
        "clinic": staff_user.clinic_id,
        "version": version,
        "action": "draft",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "another window" in html
    assert 'value="Changed"' in html
    idea.refresh_from_db()
    assert idea.title == "Original"


@pytest.mark.parametrize(
    "title", ["Reminders\r\nBcc: victim@example.org", "Two\nlines", "A\u2028B"]
)
def test_a_title_with_a_line_break_is_refused_next_to_the_field(staff_client, staff_user, title):
    response = staff_client.post(CREATE, _post_data(staff_user, staff_client, title=title))

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "Write this on one line, without line breaks."
    ]
    assert "Patients forget their appointments." in response.content.decode()
    assert not Idea.objects.exists()


def test_one_bad_file_keeps_the_names_of_every_chosen_file(staff_client, staff_user):
    data = _post_data(
        staff_user,
        staff_client,
        attachments=[
            upload("photo.png", PNG_BYTES),
            upload("script.png", b"<svg onload=alert(1)>"),
            upload("routine.pdf", PDF_BYTES),
        ],
    )

    response = staff_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert any("“script.png” is not a file type we accept" in error for error in errors)
    assert (
        "You had chosen “photo.png”, “script.png”, “routine.pdf”: please choose the files again."
        in errors
    )
    html = response.content.decode()
    assert "photo.png" in html and "routine.pdf" in html
    assert not Idea.objects.exists()


def test_an_empty_file_is_named_in_its_error(staff_client, staff_user):
    data = _post_data(
        staff_user,
        staff_client,
        attachments=[upload("photo.png", PNG_BYTES), upload("empty.pdf", b"")],
    )

    response = staff_client.post(CREATE, data)

    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert "“empty.pdf”: The submitted file is empty." in errors
    assert "You had chosen “photo.png”, “empty.pdf”: please choose the files again." in errors
    assert not Idea.objects.exists()


def test_save_draft_then_submit_of_the_same_form_submits_the_draft(
    staff_client, staff_user, leader
):
    data = _post_data(staff_user, staff_client, action="draft")
    staff_client.post(CREATE, data)
    idea = Idea.objects.get()
    assert idea.status == Idea.Status.DRAFT

    response = staff_client.post(CREATE, {**data, "action": "submit"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("portfolio:idea_detail", args=[idea.pk])
    assert "Your idea was submitted." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
    assert Idea.objects.count() == 1
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_the_same_form_saved_twice_says_it_was_already_sent(staff_client, staff_user):
    data = _post_data(staff_user, staff_client, action="draft")
    staff_client.post(CREATE, data)

    response = staff_client.post(CREATE, data, follow=True)

    assert "This form had already been sent" in response.content.decode()
    assert Idea.objects.get().status == Idea.Status.DRAFT


# --- Foreign ids in the POST -------------------------------------------------------------------


@pytest.mark.parametrize("whose", ["other_clinic", "foreign_clinic"])
def test_a_real_challenge_id_of_another_clinic_is_refused(staff_client, staff_user, request, whose):
    challenge = ChallengeFactory(clinic=request.getfixturevalue(whose), title="Their challenge")

    response = staff_client.post(
        CREATE, _post_data(staff_user, staff_client, challenge=challenge.pk, proposal="Kept")
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "challenge" in form.errors
    html = response.content.decode()
    assert 'name="title" value="Text reminders before visits"' in html
    assert "Kept" in html
    assert "Their challenge" not in html
    assert not Idea.objects.exists()


@pytest.mark.parametrize("whose", ["other_clinic", "foreign_clinic"])
def test_a_real_clinic_id_of_another_clinic_is_refused(staff_client, staff_user, request, whose):
    clinic = request.getfixturevalue(whose)

    response = staff_client.post(
        CREATE, _post_data(staff_user, staff_client, clinic=clinic.pk, proposal="Kept")
    )

    assert response.status_code == 400
    assert "clinic" in response.context["form"].errors
    html = response.content.decode()
    assert "Kept" in html
    assert clinic.name not in html
    assert not Idea.objects.exists()


def test_editing_with_another_clinics_challenge_is_refused(staff_client, staff_user, other_clinic):
    idea = IdeaFactory(submitter=staff_user)
    challenge = ChallengeFactory(clinic=other_clinic)
    url = reverse("portfolio:idea_update", args=[idea.pk])
    version = staff_client.get(url).context["form"]["version"].value()

    response = staff_client.post(
        url,
        {
            "title": "Changed",
            "problem": idea.problem,
            "clinic": staff_user.clinic_id,
            "challenge": challenge.pk,
            "version": version,
            "action": "draft",
        },
    )

    assert response.status_code == 400
    assert "challenge" in response.context["form"].errors
    idea.refresh_from_db()
    assert (idea.title, idea.challenge_id) != ("Changed", challenge.pk)
    assert idea.challenge_id is None


# --- Translated form, help link everywhere, accepted ideas -------------------------------------


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("sv", ["Skicka in en idé", "Problem eller behov", "Förslag till lösning"]),
        ("da", ["Indsend en idé", "Problem eller behov", "Forslag til løsning"]),
    ],
)
def test_the_idea_form_speaks_the_persons_language(client, staff_user, language, texts):
    staff_user.preferred_language = language
    staff_user.save()
    client.force_login(staff_user)

    html = client.get(CREATE).content.decode()

    assert f'<html lang="{language}"' in html
    for text in texts:
        assert text in html
    assert "Problem or need" not in html


@pytest.mark.parametrize(
    ("language", "errors"),
    [
        (
            "sv",
            ["Rätta fälten som är markerade nedan.", "Skriv detta på en rad, utan radbrytningar."],
        ),
        (
            "da",
            [
                "Ret de felter, der er markeret nedenfor.",
                "Skriv dette på én linje, uden linjeskift.",
            ],
        ),
    ],
)
def test_validation_errors_speak_the_persons_language(client, staff_user, language, errors):
    staff_user.preferred_language = language
    staff_user.save()
    client.force_login(staff_user)
    data = _post_data(staff_user, client, title="Two\r\nlines")

    response = client.post(CREATE, data)

    assert response.status_code == 400
    html = response.content.decode()
    for error in errors:
        assert error in html
    assert "without line breaks" not in html


def test_the_help_link_is_on_every_staff_page(staff_client, staff_user, leader):
    idea, _ = idea_create(submitter=staff_user, title="Reminders", problem="p")
    help_url = reverse("clinics:help", args=[staff_user.clinic_id])
    pages = [
        reverse("portfolio:my_ideas"),
        CREATE,
        reverse("portfolio:idea_detail", args=[idea.pk]),
        reverse("portfolio:idea_update", args=[idea.pk]),
        reverse("portfolio:challenges_open"),
        reverse("portfolio:notifications"),
        reverse("portfolio:notification_settings"),
        reverse("portfolio:clinic_detail", args=[staff_user.clinic_id]),
        help_url,
    ]
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert re.search(
            rf'<a class="nav-link[^"]*" href="{re.escape(help_url)}"[^>]*>Help</a>',
            response.content.decode(),
        ), url


def _accepted_idea_with_project(staff_user, leader, **project):
    idea, _ = idea_create(submitter=staff_user, title="Reminders", problem="p", submit=True)
    idea = idea_transition(idea=idea, to_status=Idea.Status.ACCEPTED, actor=leader)
    project.setdefault("lead_clinic", staff_user.clinic)
    return idea, ProjectFactory(idea=idea, owner=leader, title="SMS reminders", **project)


def test_my_ideas_links_an_accepted_idea_to_its_project_which_the_submitter_may_open(
    staff_client, staff_user, leader, other_clinic
):
    # Led by another clinic of the region: still the project the submitter's idea became.
    _, project = _accepted_idea_with_project(staff_user, leader, lead_clinic=other_clinic)
    project_url = reverse("portfolio:project_detail", args=[project.pk])

    html = staff_client.get(reverse("portfolio:my_ideas")).content.decode()

    assert f'href="{project_url}">SMS reminders</a>' in html
    response = staff_client.get(project_url)
    assert response.status_code == 200
    assert "SMS reminders" in response.content.decode()


def test_another_clinics_staff_cannot_open_the_project(client, staff_user, leader, other_clinic):
    _, project = _accepted_idea_with_project(staff_user, leader)
    client.force_login(StaffFactory(clinic=other_clinic))

    assert client.get(reverse("portfolio:project_detail", args=[project.pk])).status_code == 404


def test_the_timeline_shows_the_projects_status_updates_and_results(
    staff_client, staff_user, leader
):
    from portfolio.services.projects import status_update_post, value_measurement_record
    from tests.portfolio.factories import ValueIndicatorFactory

    idea, project = _accepted_idea_with_project(staff_user, leader)
    # Measurements are dated within the project's life: let it have started before March.
    project.started_on = date(2026, 1, 5)
    project.save(update_fields=["started_on"])
    status_update_post(project=project, author=leader, health="at_risk", text="Supplier is late")
    indicator = ValueIndicatorFactory(project=project, name="Missed visits", unit="%")
    value_measurement_record(
        indicator=indicator,
        value=Decimal("7.5"),
        measured_on=date(2026, 3, 2),
        recorded_by=leader,
        note="First month",
    )

    response = staff_client.get(reverse("portfolio:idea_detail", args=[idea.pk]))

    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds[-2:] == ["update", "result"]
    html = response.content.decode()
    assert "Project status update: At risk" in html
    assert "Supplier is late" in html
    assert "Result: Missed visits 7.50 %, measured 2 Mar 2026" in html
    assert "First month" in html


def test_accepted_idea_page_query_count_does_not_grow_with_the_projects_results(
    staff_client, staff_user, leader
):
    from tests.portfolio.factories import StatusUpdateFactory, ValueIndicatorFactory

    idea, project = _accepted_idea_with_project(staff_user, leader)
    url = reverse("portfolio:idea_detail", args=[idea.pk])
    stages = ["concept", "development", "pilot", "implementation", "scale_up"]

    def add(n):
        for _ in range(n):
            StatusUpdateFactory(project=project)
            indicator = ValueIndicatorFactory(project=project)
            for day in (1, 2):
                ValueMeasurement.objects.create(
                    indicator=indicator,
                    value=day,
                    measured_on=date(2026, 1, day),
                    recorded_by=leader,
                )
            from_stage, to_stage = stages[StageChange.objects.count() % 2 :][:2]
            StageChange.objects.create(
                project=project, from_stage=from_stage, to_stage=to_stage, decided_by=leader
            )

    add(1)
    few = _count_queries(staff_client, url)
    add(8)
    many = _count_queries(staff_client, url)

    assert few == many
    assert len(staff_client.get(url).context["timeline"]) > 30


def test_open_challenges_query_count_does_not_grow_with_challenges(
    staff_client, staff_user, other_clinic
):
    url = reverse("portfolio:challenges_open")

    def add(n):
        for _ in range(n):
            ChallengeFactory(clinic=staff_user.clinic)
            ChallengeFactory(clinic=None, region=staff_user.clinic.region)
            ChallengeFactory(clinic=other_clinic)

    add(2)
    few = _count_queries(staff_client, url)
    add(15)
    many = _count_queries(staff_client, url)

    assert few == many
    assert len(staff_client.get(url).context["challenges"]) == 34


def test_a_form_refused_by_the_service_still_names_the_chosen_file(staff_client, staff_user):
    idea = IdeaFactory(submitter=staff_user)
    url = reverse("portfolio:idea_update", args=[idea.pk])
    version = staff_client.get(url).context["form"]["version"].value()
    idea.title = "Changed in another tab"
    idea.save()

    response = staff_client.post(
        url,
        {
            "title": "Mine",
            "problem": idea.problem,
            "clinic": staff_user.clinic_id,
            "version": version,
            "action": "draft",
            "attachments": upload("photo.png", PNG_BYTES),
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "another window" in form.non_field_errors()[0]
    assert form.errors["attachments"] == [
        "You had chosen “photo.png”: please choose the file again."
    ]
    assert not idea.attachments.exists()


def test_notification_list_is_paged_and_its_queries_do_not_grow(staff_client, staff_user):
    url = reverse("portfolio:notifications")

    def grow(count):
        Notification.objects.bulk_create(
            Notification(recipient=staff_user, message=f"Note {index}") for index in range(count)
        )

    def measure(query=""):
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url + query)
        assert response.status_code == 200
        return len(queries), response

    grow(60)
    small, first = measure()
    grow(140)
    large, _ = measure()

    assert large == small
    assert len(first.context["notifications"]) == 50
    _, last = measure("?page=4")
    assert len(last.context["notifications"]) == 50
    assert last.context["page"].paginator.count == 200
    assert "Note 0" in last.content.decode()  # the oldest is still reachable
