"""The partner start page in its filtered states (actions, a project's milestones, a second
page) passes axe-core like every page of the site (``test_accessibility.py``: unfiltered)."""

import pytest
from django.core.management import call_command

from portfolio.models import Project
from tests.e2e.test_accessibility import PageChecker, _log_in, _report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_partner_home_filtered_and_paged_passes_axe(browser, live_server):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    from clinics.models import User

    partner = User.objects.get(username="partner")
    project = Project.objects.visible_to(partner).order_by("pk").first()
    context = browser.new_context()
    checker = PageChecker(context.new_page(), live_server.url)
    _log_in(checker.page, live_server.url, "partner")

    for path in (
        "/partners/",
        f"/partners/?project={project.pk}",
        "/partners/?due=overdue&status=planned",
        "/partners/?page=2&projects_page=2",
    ):
        assert checker.check(path), path
    context.close()

    assert not checker.failures, _report(checker.failures)
