"""Password reset answers alike for known and unknown addresses; new passwords must be strong."""

import re

import pytest
from django.core import mail

from tests.clinics.conftest import post_login

pytestmark = pytest.mark.django_db


def test_the_same_page_whether_or_not_an_account_has_the_address(client, staff_user):
    known = client.post("/password-reset/", {"email": staff_user.email}, follow=True)
    unknown = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [("/password-reset/sent/", 302)]
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff_user.email]


def test_no_mail_for_a_deactivated_account(client, staff_user):
    staff_user.is_active = False
    staff_user.save()

    response = client.post("/password-reset/", {"email": staff_user.email})

    assert response.url == "/password-reset/sent/"
    assert mail.outbox == []


def _reset_link(client, user):
    client.post("/password-reset/", {"email": user.email})
    return re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)


def test_reset_link_refuses_weak_passwords_and_accepts_a_strong_one(client, staff_user):
    link = _reset_link(client, staff_user)
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


def test_the_mail_is_translated_and_names_no_password(client, staff_user):
    client.cookies["django_language"] = "sv"
    _reset_link(client, staff_user)

    assert "lösenord" in mail.outbox[0].subject
