"""Password reset answers alike for known and unknown addresses; new passwords must be strong."""

import re

import pytest
from django.core import mail

from tests.clinics.conftest import post_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_tasks(monkeypatch):
    """The reset tasks queued by the request, by their arguments (and still run, eagerly)."""
    from clinics.tasks import password_reset_email_task

    queued = []
    delay = password_reset_email_task.delay

    def record(**kwargs):
        queued.append(kwargs)
        return delay(**kwargs)

    monkeypatch.setattr(password_reset_email_task, "delay", record)
    return queued


def _ask_for_reset(client, email, capture, **extra):
    with capture(execute=True):
        return client.post("/password-reset/", {"email": email}, follow=True, **extra)


def test_the_same_page_whether_or_not_an_account_has_the_address(
    client, staff_user, django_capture_on_commit_callbacks
):
    known = _ask_for_reset(client, staff_user.email, django_capture_on_commit_callbacks)
    unknown = _ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert known.redirect_chain == unknown.redirect_chain == [("/password-reset/sent/", 302)]
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff_user.email]


def test_the_request_queues_the_same_task_for_known_and_unknown_addresses(
    client, staff_user, queued_tasks, django_assert_num_queries
):
    # No lookup in the request: the same queries (none from the reset form), and one task each,
    # queued only once the request's transaction commits.
    with django_assert_num_queries(0):
        client.post("/password-reset/", {"email": staff_user.email})
    with django_assert_num_queries(0):
        client.post("/password-reset/", {"email": "nobody@example.org"})

    assert queued_tasks == []  # not before the commit (tests never commit)
    assert mail.outbox == []


def test_the_task_mails_an_existing_account_and_nobody_else(
    client, staff_user, queued_tasks, django_capture_on_commit_callbacks
):
    _ask_for_reset(
        client, staff_user.email.upper(), django_capture_on_commit_callbacks, secure=True
    )
    _ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert queued_tasks == [
        {
            "email": staff_user.email.upper(),
            "domain": "testserver",
            "use_https": True,
            "language": "en",
        },
        {
            "email": "nobody@example.org",
            "domain": "testserver",
            "use_https": False,
            "language": "en",
        },
    ]
    # The tasks ran (eagerly, as a worker would): one mail, to the existing account.
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "https://testserver/password-reset/" in mail.outbox[0].body


def test_no_mail_for_a_deactivated_account(client, staff_user, django_capture_on_commit_callbacks):
    staff_user.is_active = False
    staff_user.save()

    response = _ask_for_reset(client, staff_user.email, django_capture_on_commit_callbacks)

    assert response.redirect_chain == [("/password-reset/sent/", 302)]
    assert mail.outbox == []


@pytest.fixture
def reset_link(django_capture_on_commit_callbacks):
    def link(client, user):
        _ask_for_reset(client, user.email, django_capture_on_commit_callbacks)
        return re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)

    return link


def test_reset_link_refuses_weak_passwords_and_accepts_a_strong_one(client, staff_user, reset_link):
    link = reset_link(client, staff_user)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL

    weak = client.post(form_url, {"new_password1": "password123", "new_password2": "password123"})
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"]

    strong = "tandvard-idun-Morgon-7"
    response = client.post(form_url, {"new_password1": strong, "new_password2": strong})
    assert response.url == "/password-reset/done/"
    assert post_login(client, "staff", strong).status_code == 302


@pytest.mark.parametrize(
    "password",
    ["short-Pw1", "12345678901234", "password1234", "staff@example.org"],
)
def test_password_validation_refuses_weak_passwords(staff_user, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, user=staff_user)


def test_the_mail_is_translated_and_names_no_password(client, staff_user, reset_link):
    client.cookies["django_language"] = "sv"
    reset_link(client, staff_user)

    assert "lösenord" in mail.outbox[0].subject
