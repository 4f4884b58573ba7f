"""The discussion of ideas and projects: what may be written, edited and deleted, who is told,
and what a thread page costs.

The world (tests/conftest.py): ``idea`` is ``staff_user``'s submitted idea of clinic A1, read
by the leaders of A1 (``leader`` leads all of region A); ``project`` is led by A1 and
``partner_user``'s organisation is a party; ``other_partner_user``'s is not.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.notifications import notification_kinds_update
from portfolio.models import Comment
from portfolio.services.comments import (
    comment_add,
    comment_delete,
    comment_edit,
    mentioned_usernames,
    thread_followers,
)
from tests.clinics.factories import StaffFactory
from tests.portfolio.factories import IdeaFactory

pytestmark = pytest.mark.django_db

K = Notification.Kind


@pytest.fixture(autouse=True)
def _in_english(staff_user, leader):
    """The pages and messages in English (the region's language would be Swedish)."""
    for person in (staff_user, leader):
        person.preferred_language = "en"
        person.save(update_fields=["preferred_language"])


@pytest.fixture
def idea(staff_user):
    return IdeaFactory(submitter=staff_user, submitted=True, title="Text reminders")


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_comment_is_refused_next_to_the_field(client, idea, staff_user, text):
    client.force_login(staff_user)

    response = client.post(
        reverse("portfolio:idea_comments", args=[idea.pk]), {"comment-text": text}
    )

    assert response.status_code == 400
    assert "Write a comment." in response.context["form"].errors["text"]
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_refused_and_kept_in_the_form(client, idea, staff_user):
    client.force_login(staff_user)
    text = "x" * (Comment.MAX_LENGTH + 1)

    response = client.post(
        reverse("portfolio:idea_comments", args=[idea.pk]), {"comment-text": text}
    )

    assert response.status_code == 400
    [error] = response.context["form"].errors["text"]
    assert "at most 4000 characters" in error and "4001" in error
    assert response.context["form"]["text"].value() == text  # nothing typed is lost
    assert not Comment.objects.exists()


def test_line_breaks_count_once_and_the_text_is_shown_escaped(client, idea, staff_user):
    client.force_login(staff_user)
    text = "<script>alert(1)</script>\r\n" + "y" * (Comment.MAX_LENGTH - 27)

    response = client.post(
        reverse("portfolio:idea_comments", args=[idea.pk]),
        {"comment-text": text, "comment-next": reverse("portfolio:idea_detail", args=[idea.pk])},
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("portfolio:idea_detail", args=[idea.pk]) + f"#comment-{comment.pk}"
    )
    assert comment.text.startswith("<script>alert(1)</script>\ny")
    page = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>y" in page
    assert "<script>alert(1)" not in page


def test_a_foreign_next_address_is_not_followed(client, idea, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("portfolio:idea_comments", args=[idea.pk]),
        {"comment-text": "Hello", "comment-next": "https://evil.example.org/"},
    )

    assert response["Location"].startswith(reverse("portfolio:idea_comments", args=[idea.pk]))


# --- Edit and delete ------------------------------------------------------------------------


def test_the_author_edits_within_15_minutes_and_it_shows_edited(client, idea, staff_user):
    comment = comment_add(target=idea, actor=staff_user, text="Frist draft")
    client.force_login(staff_user)
    url = reverse("portfolio:comment_edit", args=[comment.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"comment-text": "First draft", "comment-version": 1})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.text, comment.version) == ("First draft", 2)
    assert comment.edited_at is not None
    page = client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()
    assert "First draft" in page and "edited" in page


def test_editing_after_15_minutes_is_refused_clearly(client, idea, staff_user):
    comment = comment_add(target=idea, actor=staff_user, text="Old words")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=Comment.EDIT_MINUTES, seconds=1)
    )
    client.force_login(staff_user)
    url = reverse("portfolio:comment_edit", args=[comment.pk])

    response = client.post(url, {"comment-text": "New words", "comment-version": 1})

    assert response.status_code == 400
    assert "can be edited for 15 minutes" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["text"].value() == "New words"
    assert Comment.objects.get(pk=comment.pk).text == "Old words"
    # The edit page itself sends the author back with the reason, and shows no edit link.
    opened = client.get(url, follow=True)
    assert "can be edited for 15 minutes" in opened.content.decode()
    assert url not in opened.content.decode()


def test_a_stale_edit_is_refused_with_the_current_text(client, idea, staff_user):
    comment = comment_add(target=idea, actor=staff_user, text="One")
    comment_edit(comment=comment, actor=staff_user, text="Two", expected_version=1)
    client.force_login(staff_user)

    response = client.post(
        reverse("portfolio:comment_edit", args=[comment.pk]),
        {"comment-text": "Three", "comment-version": 1},
    )

    assert response.status_code == 409
    assert "Two" in response.content.decode()
    assert response.context["form"]["text"].value() == "Three"
    assert Comment.objects.get(pk=comment.pk).text == "Two"


def test_editing_or_deleting_another_persons_comment_is_refused(client, idea, staff_user, leader):
    comment = comment_add(target=idea, actor=staff_user, text="Mine")
    client.force_login(leader)

    edit = client.post(
        reverse("portfolio:comment_edit", args=[comment.pk]),
        {"comment-text": "Theirs now", "comment-version": 1},
    )
    delete = client.post(reverse("portfolio:comment_delete", args=[comment.pk]))

    assert (edit.status_code, delete.status_code) == (403, 403)
    assert Comment.objects.get(pk=comment.pk).text == "Mine"
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=leader, text="x", expected_version=1)
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=leader)


def test_an_answered_comment_cannot_be_deleted(client, idea, staff_user, leader):
    comment = comment_add(target=idea, actor=staff_user, text="A question")
    comment_add(target=idea, actor=leader, text="An answer")
    client.force_login(staff_user)

    response = client.post(reverse("portfolio:comment_delete", args=[comment.pk]))

    assert response.status_code == 400
    assert "has been answered" in response.content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()
    with pytest.raises(ValidationError) as caught:
        comment_delete(comment=comment, actor=staff_user)
    assert caught.value.code == "answered"


def test_a_comment_nobody_answered_can_be_deleted_even_after_the_authors_own(
    client, idea, staff_user
):
    first = comment_add(target=idea, actor=staff_user, text="One")
    comment_add(target=idea, actor=staff_user, text="And another thing")
    client.force_login(staff_user)

    response = client.post(reverse("portfolio:comment_delete", args=[first.pk]))

    assert response.status_code == 302
    assert list(Comment.objects.values_list("text", flat=True)) == ["And another thing"]


# --- Mentions and followers -----------------------------------------------------------------


def test_mentions_are_names_after_an_at_sign_not_addresses():
    text = "Ask @leader. And @staff_user, not anna@example.org; @leader again @a.b-c+d."
    assert mentioned_usernames(text) == ["leader", "staff_user", "a.b-c+d"]


def test_a_mention_notifies_exactly_the_mentioned_reader(
    idea, staff_user, leader, other_clinic_staff, partner_user, other_region_leader
):
    text = (
        f"@{leader.username} @{other_clinic_staff.username} @{partner_user.username} "
        f"@{other_region_leader.username} @nobody_of_that_name"
    )

    comment_add(target=idea, actor=staff_user, text=text)

    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (leader, K.MENTION)
    assert notification.url == reverse("portfolio:idea_detail", args=[idea.pk]) + (
        f"#comment-{Comment.objects.get().pk}"
    )
    assert "mentioned you" in notification.message and "Text reminders" in notification.message


def test_a_project_mention_reaches_a_party_but_not_another_organisation(
    project, leader, partner_user, other_partner_user
):
    comment_add(
        target=project,
        actor=leader,
        text=f"@{partner_user.username} and @{other_partner_user.username}: dates?",
    )

    assert _kinds(partner_user) == [K.MENTION]
    assert _kinds(other_partner_user) == []


def test_the_submitter_and_earlier_participants_are_told_but_not_the_author(
    idea, staff_user, leader
):
    other_leader = type(leader).objects.get(pk=leader.pk)
    comment_add(target=idea, actor=leader, text="Thanks for this")
    assert _kinds(staff_user) == [K.COMMENT]  # the submitter
    assert _kinds(leader) == []  # not the author

    comment_add(target=idea, actor=staff_user, text=f"Thank you @{other_leader.username}")

    # The earlier participant hears of it once, as a mention; the author nothing more.
    assert _kinds(leader) == [K.MENTION]
    assert _kinds(staff_user) == [K.COMMENT]
    assert {u.pk for u in thread_followers(idea)} == {staff_user.pk, leader.pk}


def test_a_follower_who_can_no_longer_read_the_thread_is_not_told(idea, staff_user, leader):
    comment_add(target=idea, actor=staff_user, text="Before I moved")
    staff_user.clinic = StaffFactory().clinic  # moved; still the submitter, still reads it
    staff_user.save()
    colleague = StaffFactory(clinic=idea.clinic)
    Comment.objects.create(idea=idea, author=colleague, text="Written when it could")

    comment_add(target=idea, actor=leader, text="News")

    assert _kinds(colleague) == []  # a colleague never reads another's idea
    assert _kinds(staff_user) == [K.COMMENT]


def test_a_mention_added_by_an_edit_is_told_once(idea, staff_user, leader):
    comment = comment_add(target=idea, actor=staff_user, text="Hello")

    comment_edit(
        comment=comment, actor=staff_user, text=f"Hello @{leader.username}", expected_version=1
    )
    comment_edit(
        comment=comment,
        actor=staff_user,
        text=f"Hello @{leader.username}!",
        expected_version=2,
    )

    assert _kinds(leader) == [K.MENTION]


def test_a_kind_switched_off_is_not_told(idea, staff_user, leader):
    notification_kinds_update(user=leader, enabled={K.MENTION: False})

    comment_add(target=idea, actor=staff_user, text=f"@{leader.username} please look")

    assert _kinds(leader) == []


# --- The pages ------------------------------------------------------------------------------


def test_the_idea_and_project_pages_show_the_thread_with_its_count(
    client, idea, project, staff_user, leader, partner_user
):
    comment_add(target=idea, actor=staff_user, text="On the idea")
    comment_add(target=project, actor=partner_user, text="On the project")
    client.force_login(leader)

    review = client.get(reverse("portfolio:review_idea", args=[idea.pk])).content.decode()
    detail = client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()
    project_page = client.get(reverse("portfolio:project_detail", args=[project.pk]))

    for page in (review, detail):
        assert "On the idea" in page and "1 comment" in page
    assert "On the project" in project_page.content.decode()
    assert "On the idea" not in project_page.content.decode()


def test_the_thread_page_shows_the_newest_page_last_with_earlier_ones_behind_a_link(
    client, idea, staff_user
):
    for number in range(25):
        Comment.objects.create(idea=idea, author=staff_user, text=f"Comment number {number:02}")
    client.force_login(staff_user)
    url = reverse("portfolio:idea_comments", args=[idea.pk])

    newest = client.get(url).content.decode()
    earlier = client.get(url, {"page": 1}).content.decode()
    on_idea_page = client.get(reverse("portfolio:idea_detail", args=[idea.pk])).content.decode()

    assert "Comment number 24" in newest and "Comment number 04" not in newest
    assert "Show earlier comments" in newest and "25 comments" in newest
    assert "Comment number 04" in earlier and "Comment number 24" not in earlier
    # The idea's page: the ten newest, and the way to the others.
    assert "Comment number 15" in on_idea_page and "Comment number 14" not in on_idea_page
    assert url in on_idea_page


@pytest.mark.parametrize("page_name", ["idea_comments", "idea_detail", "review_idea"])
def test_a_thread_page_costs_the_same_queries_for_more_comments(
    client, idea, staff_user, leader, page_name, django_assert_max_num_queries
):
    comment_add(target=idea, actor=staff_user, text="One")
    client.force_login(leader)
    url = reverse(f"portfolio:{page_name}", args=[idea.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        author = leader if number % 2 else StaffFactory(clinic=idea.clinic)
        Comment.objects.create(idea=idea, author=author, text=f"Comment {number}")

    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_project_page_costs_the_same_queries_for_more_comments(
    client, project, leader, partner_user, django_assert_max_num_queries
):
    url = reverse("portfolio:project_detail", args=[project.pk])
    comment_add(target=project, actor=partner_user, text="One")
    client.force_login(leader)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        author = leader if number % 2 else partner_user
        Comment.objects.create(project=project, author=author, text=f"Comment {number}")

    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_a_comment_is_on_an_idea_or_a_project_never_both_nor_none(idea, project, staff_user):
    from django.db import IntegrityError, transaction

    for fields in ({}, {"idea": idea, "project": project}):
        comment = Comment(author=staff_user, text="x", **fields)
        with pytest.raises(ValidationError):
            comment.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(author=staff_user, text="x", **fields)


def test_a_projects_team_members_are_told_of_its_discussion_but_not_waiting_requests(
    project, leader, clinic
):
    from portfolio.models import ProjectMember

    member, waiting = StaffFactory(clinic=clinic), StaffFactory(clinic=clinic)
    ProjectMember.objects.create(project=project, user=member, accepted_at=timezone.now())
    ProjectMember.objects.create(project=project, user=waiting)

    comment_add(target=project, actor=leader, text="Pilot starts on Monday")

    assert _kinds(member) == [K.COMMENT]
    assert _kinds(waiting) == []
    assert member in thread_followers(project)
