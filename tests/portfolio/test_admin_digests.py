from datetime import timedelta

import pytest
from django.urls import reverse

from portfolio.models import DigestDelivery
from tests.portfolio.digest_support import free_port, require_redis
from tests.portfolio.digest_world import SLOT

pytestmark = pytest.mark.django_db


def test_delivery_records_are_read_only_in_the_admin(client, admin_user, leader):
    delivery = DigestDelivery.objects.create(
        leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, last_error="421"
    )
    client.force_login(admin_user)
    assert client.get(reverse("admin:portfolio_digestdelivery_changelist")).status_code == 200
    page = client.get(reverse("admin:portfolio_digestdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert b'name="attempts"' not in page.content  # shown, not editable
    assert client.get(reverse("admin:portfolio_digestdelivery_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:portfolio_digestdelivery_delete", args=[delivery.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert DigestDelivery.objects.filter(pk=delivery.pk).exists()


def test_preferences_are_editable_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:portfolio_digestpreference_add")).status_code == 200


def test_worker_tests_fail_with_a_clear_message_when_redis_is_not_there():
    url = f"redis://127.0.0.1:{free_port()}/6"
    with pytest.raises(pytest.fail.Exception, match="start Redis"):
        require_redis(url)
