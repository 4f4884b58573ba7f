"""One "current agreement version": ``Agreement.objects.current()``, and every caller agrees.

Current is the newest version that has left draft; a draft is never current, and its parties
are nobody's partners yet. ``current(signed=True)`` is the newest version every party signed
(the terms in force, also while a newer version is only proposed).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.selectors import agreements_for
from insights.exports import export_rows, with_export_relations
from insights.selectors.dashboard import (
    PortfolioFilters,
    portfolio_dashboard,
    portfolio_project_list,
    portfolio_projects,
)
from insights.selectors.dashboard_cache import PortfolioCache
from insights.selectors.digests import portfolio_changes_for_leader
from partners.models import Agreement
from partners.querysets import project_parties
from partners.selectors import organisation_overview
from portfolio.models import Project
from tests.partners.factories import (
    PartnerOrganisationFactory,
    PartnerUserFactory,
    agreement_with_parties,
)
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.django_db

S = Agreement.Status


def _chain(project, *versions):
    """Versions of one agreement, oldest first: each ``(status, organisations)``."""
    made, previous = [], None
    for number, (status, organisations) in enumerate(versions, 1):
        previous = agreement_with_parties(
            *organisations,
            project=project,
            title="Joint agreement",
            version=number,
            previous_version=previous,
            status=status,
        )
        made.append(previous)
    return made


@pytest.mark.parametrize(
    ("statuses", "current", "in_force"),
    [
        (["draft"], None, None),
        (["proposed"], 1, None),
        (["signed"], 1, 1),
        (["ended"], 1, 1),
        (["signed", "draft"], 1, 1),  # the new version is the region's working copy
        (["active", "proposed"], 2, 1),  # proposed: current, but v1 is in force until signed
        (["ended", "signed"], 2, 2),
        (["ended", "ended", "draft"], 2, 2),
    ],
)
def test_the_current_version_of_a_chain(project, statuses, current, in_force):
    versions = _chain(project, *[(status, [PartnerOrganisationFactory()]) for status in statuses])

    def numbers(queryset):
        return [a.version for a in queryset.filter(pk__in=[v.pk for v in versions])]

    assert numbers(Agreement.objects.current()) == ([current] if current else [])
    assert numbers(Agreement.objects.current(signed=True)) == ([in_force] if in_force else [])


@pytest.fixture
def world(clinic, leader):
    """Three projects of the leader's clinic:
    - "renegotiated": v1 signed by (old, kept), v2 proposed with (kept, new) only;
    - "drafted": v1 signed with (kept), v2 a draft that adds (draft_only);
    - "planned": a single draft agreement with (draft_only).
    """
    organisations = {
        name: PartnerOrganisationFactory(name=f"{name} AB")
        for name in ("old", "kept", "new", "draft_only")
    }
    o = organisations
    projects = {
        name: ProjectFactory(lead_clinic=clinic, owner=leader, title=name)
        for name in ("renegotiated", "drafted", "planned")
    }
    _chain(
        projects["renegotiated"],
        (S.SIGNED, [o["old"], o["kept"]]),
        (S.PROPOSED, [o["kept"], o["new"]]),
    )
    _chain(projects["drafted"], (S.SIGNED, [o["kept"]]), (S.DRAFT, [o["kept"], o["draft_only"]]))
    _chain(projects["planned"], (S.DRAFT, [o["draft_only"]]))
    return {"organisations": organisations, "projects": projects}


# (project, organisation) pairs of the current versions in ``world``.
PARTNERS = {
    ("renegotiated", "kept"),
    ("renegotiated", "new"),
    ("drafted", "kept"),
}


def _names(world, pairs):
    projects = {p.pk: name for name, p in world["projects"].items()}
    organisations = {o.pk: name for name, o in world["organisations"].items()}
    return {(projects[p], organisations[o]) for p, o in pairs}


def test_the_dashboards_partner_figure_never_counts_a_drafts_parties(world, leader):
    board = portfolio_dashboard(user=leader, filters=PortfolioFilters())

    counted = {row["organisation__name"]: row["projects"] for row in board.partners}
    assert counted == {"kept AB": 2, "new AB": 1}
    by_status = {row["value"]: row["count"] for row in board.agreements_by_status}
    # Current versions by their status, and the two drafts in preparation beside them.
    assert by_status == {"draft": 2, "proposed": 1, "signed": 1, "active": 0, "ended": 0}


def test_the_dashboards_partner_filter_and_its_choices_agree_with_the_figure(world, leader):
    organisations = world["organisations"]

    def filtered(name):
        filters = PortfolioFilters(partner=organisations[name])
        return {p.title for p in portfolio_projects(user=leader, filters=filters)}

    assert filtered("kept") == {"renegotiated", "drafted"}
    assert filtered("new") == {"renegotiated"}
    assert filtered("draft_only") == set()  # only in drafts: not yet a partner
    assert filtered("old") == set()  # dropped from the proposed version
    choices = set(PortfolioCache(leader).partner_ids())
    assert choices == {organisations["kept"].pk, organisations["new"].pk}


def test_every_caller_names_the_same_partners(world, leader):
    organisations, projects = world["organisations"], world["projects"]
    ids = {p.pk for p in projects.values()}

    # The dashboard's figure (through the filter, project by project).
    dashboard = {
        (project.pk, organisation.pk)
        for organisation in organisations.values()
        for project in portfolio_projects(
            user=leader, filters=PortfolioFilters(partner=organisation)
        )
    }
    # The exports' partners column.
    by_name = {o.name: o.pk for o in organisations.values()}
    rows = list(
        export_rows(
            with_export_relations(portfolio_project_list(user=leader, filters=PortfolioFilters()))
        )
    )
    exports = {(row[0], by_name[name]) for row in rows for name in row[8].split(", ") if name}
    # The API: the parties of the agreements it marks current.
    api = {
        (agreement.project_id, party.organisation_id)
        for agreement in agreements_for(leader, PortfolioFilters())
        if agreement.is_current
        for party in agreement.parties.all()
        if party.organisation_id
    }
    # The pages: which projects a partner user of each organisation may open.
    pages = {
        (project_id, organisation.pk)
        for organisation in organisations.values()
        for project_id in Project.objects.visible_to(
            PartnerUserFactory(organisation=organisation)
        ).values_list("pk", flat=True)
        if project_id in ids
    }

    expected = PARTNERS
    assert _names(world, dashboard) == expected
    assert _names(world, exports) == expected
    assert _names(world, api) == expected
    assert _names(world, pages) == expected


def test_milestones_may_be_given_to_a_party_of_the_current_version_or_of_a_draft(world):
    parties = {
        name: {o.name for o in project_parties(project)}
        for name, project in world["projects"].items()
    }

    assert parties == {
        "renegotiated": {"kept AB", "new AB"},
        "drafted": {"kept AB", "draft_only AB"},
        "planned": {"draft_only AB"},
    }


def test_contributions_count_the_terms_in_force(world, leader):
    """While v2 is only proposed, v1 is in force: its contributions count, v2's not yet."""
    organisations = world["organisations"]
    renegotiated = world["projects"]["renegotiated"]
    v1, v2 = Agreement.objects.filter(project=renegotiated).order_by("version")
    v1.parties.filter(organisation=organisations["old"]).update(contribution_hours=40)
    v2.parties.filter(organisation=organisations["new"]).update(contribution_hours=7)

    assert organisation_overview(leader, organisations["old"]).hours == 40
    assert organisation_overview(leader, organisations["new"]).hours == 0


def test_a_digest_lists_as_ending_only_the_terms_in_force(clinic, leader):
    today = timezone.localdate()
    project = ProjectFactory(lead_clinic=clinic, owner=leader)
    organisation = PartnerOrganisationFactory()
    replaced, in_force = _chain(project, (S.ACTIVE, [organisation]), (S.SIGNED, [organisation]))
    # The replaced version was never ended (written outside the services, e.g. imported).
    Agreement.objects.filter(pk__in=[replaced.pk, in_force.pk]).update(
        ends_on=today + timedelta(days=5)
    )
    now = timezone.now()

    changes = portfolio_changes_for_leader(
        leader=leader,
        period_start=now - timedelta(days=30),
        period_end=now - timedelta(days=20),
        start_date=today - timedelta(days=30),
        end_date=today - timedelta(days=20),
        today=today,
        horizon=today + timedelta(days=14),
    )

    assert [a.pk for a in changes.agreements_ending] == [in_force.pk]
