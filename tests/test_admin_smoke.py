"""Every admin page of every registered model answers for the superuser (guards the config)."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_admin_changelist_add_and_change_page_answers(client, admin_user):
    # Rows to list, so list_display is exercised too.
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    client.force_login(admin_user)
    failures = []

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        # Read-only logs (e.g. axes' login attempts) refuse "add" on purpose.
        if model_admin.has_add_permission(_request_as(admin_user)):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                failures.append((url, status))

    assert failures == []
    assert client.get(reverse("admin:index")).status_code == 200
