"""The partner start page leads with what needs the organisation's action, and its milestone
list filters (project, status, due date, words) and pages through the URL."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, AgreementParty, Milestone
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(clinic, leader, partner_organisation):
    project = ProjectFactory(lead_clinic=clinic, owner=leader, title="Shared project")
    agreement_with_parties(partner_organisation, project=project, status=Agreement.Status.SIGNED)
    return project


def _ours(project, organisation, title, days, **kwargs):
    return MilestoneFactory(
        project=project,
        responsible_party=organisation,
        title=title,
        due_on=timezone.localdate() + timedelta(days=days),
        **kwargs,
    )


def test_actions_list_our_overdue_due_soon_and_blocked_milestones(
    client, partner_user, partner_organisation, other_partner_organisation, shared
):
    _ours(shared, partner_organisation, "Late", -2)
    _ours(shared, partner_organisation, "Soon", 3)
    _ours(shared, partner_organisation, "Stuck", 40, status=Milestone.Status.BLOCKED)
    _ours(shared, partner_organisation, "Far away", 90)
    # Another party's milestone on the same project: not the partner's to act on.
    _ours(shared, other_partner_organisation, "Theirs late", -5)
    client.force_login(partner_user)

    response = client.get(reverse("partners:home"))

    actions = response.context["home"].actions
    assert [m.title for m in actions.overdue] == ["Late"]
    assert [m.title for m in actions.due_soon] == ["Soon"]
    assert [m.title for m in actions.blocked] == ["Stuck"]
    assert actions.counts == {
        "overdue": 1,
        "due_soon": 1,
        "blocked": 1,
        "agreements_to_confirm": 1,  # the partner_user fixture's proposed agreement
    }
    page = response.content.decode()
    milestones_heading = page.index('id="milestones-heading"')
    assert page.index("Needs your action") < page.index("Late") < milestones_heading
    assert "1 milestone of yours is overdue" in page


def test_actions_show_a_few_rows_and_link_to_the_whole_filtered_list(
    client, partner_user, partner_organisation, shared
):
    for index in range(8):
        _ours(shared, partner_organisation, f"Late {index}", -1 - index)
    client.force_login(partner_user)

    response = client.get(reverse("partners:home"))

    actions = response.context["home"].actions
    assert len(actions.overdue) == 5 and actions.counts["overdue"] == 8
    assert "?due=overdue#milestones-heading" in response.content.decode()
    listed = client.get(reverse("partners:home") + "?due=overdue").context["milestones"]
    assert listed.paginator.count == 8


def test_agreements_waiting_for_our_confirmation_are_listed_until_confirmed(
    client, partner_user, partner_organisation, shared
):
    proposed = agreement_with_parties(
        partner_organisation, project=shared, title="Pilot terms", status="proposed"
    )
    client.force_login(partner_user)

    actions = client.get(reverse("partners:home")).context["home"].actions
    assert proposed in actions.agreements_to_confirm
    assert actions.counts["agreements_to_confirm"] == 2  # and the fixture's proposed one

    proposed.parties.filter(organisation=partner_organisation).update(confirmed_at=timezone.now())
    actions = client.get(reverse("partners:home")).context["home"].actions
    assert proposed not in actions.agreements_to_confirm
    assert actions.counts["agreements_to_confirm"] == 1


def test_nothing_to_do_says_so(client, partner_user, partner_organisation, shared):
    _ours(shared, partner_organisation, "Far away", 90)
    AgreementParty.objects.update(confirmed_at=timezone.now())
    client.force_login(partner_user)

    response = client.get(reverse("partners:home"))

    assert not response.context["home"].actions.any
    assert "Nothing waits for your organisation" in response.content.decode()


def test_filters_by_status_due_words_and_project(
    client, partner_user, partner_organisation, clinic, leader, shared
):
    other = ProjectFactory(lead_clinic=clinic, owner=leader, title="Second project")
    agreement_with_parties(partner_organisation, project=other, status="signed")
    _ours(shared, partner_organisation, "Late", -2)
    _ours(shared, partner_organisation, "Stuck", 40, status=Milestone.Status.BLOCKED)
    _ours(other, partner_organisation, "Kick-off", 20)
    client.force_login(partner_user)
    url = reverse("partners:home")

    def titles(query):
        response = client.get(url + query)
        assert response.status_code == 200
        return sorted(m.title for m in response.context["milestones"].object_list)

    assert titles("") == ["Kick-off", "Late", "Stuck"]
    assert titles("?status=blocked") == ["Stuck"]
    assert titles("?due=overdue") == ["Late"]
    assert titles("?q=second") == ["Kick-off"]
    assert titles(f"?project={other.pk}") == ["Kick-off"]
    assert titles(f"?project={shared.pk}&status=blocked") == ["Stuck"]
    page = client.get(url + f"?project={other.pk}").content.decode()
    assert "Second project" in page and "Show every project" in page


def test_a_foreign_project_filter_is_refused_and_reveals_nothing(
    client, partner_user, other_partner_organisation, partner_organisation, clinic, leader, shared
):
    foreign = ProjectFactory(lead_clinic=clinic, owner=leader, title="Foreign project")
    agreement_with_parties(other_partner_organisation, project=foreign, status="signed")
    MilestoneFactory(project=foreign, title="Not yours")
    _ours(shared, partner_organisation, "Ours", 10)
    client.force_login(partner_user)

    response = client.get(reverse("partners:home") + f"?project={foreign.pk}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "not one of your organisation" in page
    assert "Foreign project" not in page and "Not yours" not in page
    assert [m.title for m in response.context["milestones"].object_list] == ["Ours"]


@pytest.mark.parametrize("query", ["?status=nonsense", "?due=later", "?project=abc", "?page=x"])
def test_bad_filter_values_never_fail(client, partner_user, partner_organisation, shared, query):
    _ours(shared, partner_organisation, "Ours", 10)
    client.force_login(partner_user)

    response = client.get(reverse("partners:home") + query)

    assert response.status_code in (200, 400)
    assert [m.title for m in response.context["milestones"].object_list] == ["Ours"]


def test_pages_keep_the_filters(client, partner_user, partner_organisation, shared):
    for index in range(30):
        _ours(shared, partner_organisation, f"Step {index}", 20 + index)
    client.force_login(partner_user)

    response = client.get(reverse("partners:home") + "?status=planned&page=2")

    milestones = response.context["milestones"]
    assert milestones.number == 2 and len(milestones.object_list) == 5
    assert "status=planned&amp;page=1" in response.content.decode()


def test_the_list_shows_open_milestones_unless_asked_for_done_or_all(
    client, partner_user, partner_organisation, shared
):
    _ours(shared, partner_organisation, "Open one", 10)
    finished = _ours(shared, partner_organisation, "Finished", -10)
    Milestone.objects.filter(pk=finished.pk).update(status="done", progress=100)
    client.force_login(partner_user)
    url = reverse("partners:home")

    def titles(query):
        return [m.title for m in client.get(url + query).context["milestones"].object_list]

    assert titles("") == ["Open one"]
    assert titles("?status=done") == ["Finished"]
    assert titles("?status=all") == ["Open one", "Finished"]  # done last


def test_partner_visibility_is_computed_once_per_request(
    client, partner_user, partner_organisation, shared
):
    """The set of the organisation's projects is read once, then every list filters by it: the
    agreement subquery appears in one statement of the page, not in each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _ours(shared, partner_organisation, "Ours", 10)
    client.force_login(partner_user)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("partners:home"))

    with_subquery = [q["sql"] for q in queries if "partners_agreementparty" in q["sql"]]
    # The projects' ids, and the agreements to confirm (their count and first rows).
    assert len(with_subquery) == 3
