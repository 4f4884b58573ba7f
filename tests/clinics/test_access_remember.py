"""``Access.remember``: a derived set is computed once per request, and never outlives it."""

import pytest

from clinics.access import access_for, request_scope

pytestmark = pytest.mark.django_db


def test_remembered_once_within_a_request_and_not_outside(partner_user):
    calls = []

    def compute():
        calls.append(1)
        return [len(calls)]

    access = access_for(partner_user)
    with request_scope():
        assert access.remember("k", compute, otherwise="outside") == [1]
        assert access.remember("k", compute, otherwise="outside") == [1]
    assert len(calls) == 1
    # Outside a request: nothing is remembered, the caller's fresh alternative is used.
    assert access.remember("k", compute, otherwise="outside") == "outside"
    with request_scope():  # the next request computes anew
        assert access.remember("k", compute, otherwise="outside") == [2]


def test_an_anonymous_person_remembers_nothing():
    from django.contrib.auth.models import AnonymousUser

    with request_scope():
        assert access_for(AnonymousUser()).remember("k", list, otherwise=None) is None
