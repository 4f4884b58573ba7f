"""Password reset answers alike for known and unknown addresses; new passwords must be strong."""

import re

import pytest
from django.core import mail

from core.models import OutboxEmail, PasswordResetRequest
from tests.clinics.conftest import post_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_requests(monkeypatch):
    """The reset requests the page keeps for the sender, as they were written (the sender
    deletes each once it has written its mail)."""
    from core import password_reset

    kept = []
    original = password_reset.password_reset_request

    def record(**kwargs):
        kept.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(password_reset, "password_reset_request", record)
    monkeypatch.setattr("core.forms.password_reset_request", record)
    return kept


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


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(
    client, staff_user, django_assert_num_queries
):
    # No lookup in the request: one insert of the request either way, nothing that reads the
    # accounts, and the sender is queued only once the request's transaction commits.
    with django_assert_num_queries(3) as known:  # SAVEPOINT, INSERT, RELEASE in a test
        client.post("/password-reset/", {"email": staff_user.email})
    with django_assert_num_queries(3) as unknown:
        client.post("/password-reset/", {"email": "nobody@example.org"})

    def statements(captured):
        # The statements without their values (and savepoint names, which count up).
        return [
            re.sub(r'"s\d+_x\d+"', "", query["sql"]).split(" VALUES")[0]
            for query in captured.captured_queries
        ]

    assert statements(known) == statements(unknown)
    assert 'INSERT INTO "core_passwordresetrequest"' in statements(known)[1]
    assert not any("clinics_user" in query["sql"] for query in known.captured_queries)
    assert PasswordResetRequest.objects.count() == 2
    assert mail.outbox == []  # not before the commit (tests never commit)


def test_the_sender_mails_an_existing_account_and_nobody_else(
    client, staff_user, kept_requests, django_capture_on_commit_callbacks
):
    _ask_for_reset(
        client, staff_user.email.upper(), django_capture_on_commit_callbacks, secure=True
    )
    _ask_for_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert kept_requests == [
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
    # The sender ran (eagerly, as a worker would): one mail, to the existing account, and
    # the requests are gone (an unknown address leaves nothing behind).
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "https://testserver/password-reset/" in mail.outbox[0].body
    assert not PasswordResetRequest.objects.exists()
    [sent] = OutboxEmail.objects.all()
    assert (sent.kind, sent.user, sent.status) == ("password_reset", staff_user, "sent")
    assert sent.body_text == ""  # the link is not kept once sent


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


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_answers_as_always_and_the_mail_comes_later(
    client, staff_user, smtp_server, broker_down
):
    # Transactional: the request commits, and queueing the sender after the commit fails
    # against a broker that refuses connections, as in production when Redis is down.
    from core.tasks import outbox_sweep_task

    client.cookies["django_language"] = "sv"
    known = client.post("/password-reset/", {"email": staff_user.email}, follow=True)
    unknown = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [("/password-reset/sent/", 302)]
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    assert PasswordResetRequest.objects.count() == 2
    assert smtp_server.handler.messages == []

    outbox_sweep_task.apply(throw=True)  # the beat job, a minute later
    outbox_sweep_task.apply(throw=True)

    assert smtp_server.handler.recipients() == [staff_user.email]
    [message] = smtp_server.handler.messages
    assert "lösenord" in message["Subject"]
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.get_content()).group(1)
    assert client.get(link).status_code == 302  # a working link (to the set-password form)
    assert not PasswordResetRequest.objects.exists()
