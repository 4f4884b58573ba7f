"""Reads of the REST API: the web pages' access rules (``visible_to``), filtered by the
dashboard's filters, with the related rows each list needs fetched in a fixed number of queries.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from clinics.models import Clinic, Region, User
from clinics.selectors import clinics_visible_to
from insights.forms import PortfolioFilterForm
from insights.selectors.dashboard import PortfolioFilters, portfolio_ideas, portfolio_projects
from partners.models import Agreement, AgreementParty, Milestone
from partners.querysets import partner_organisations_visible_to
from partnership.progress import projects_with_progress
from portfolio.models import Idea, InnovationTime, Project, ValueIndicator
from portfolio.selectors.innovation_time import innovation_time_visible_to, row_clinic

FILTER_NAMES = ("region", "clinic", "stage", "health", "theme", "partner", "q")


def regions_for(user: User) -> QuerySet[Region]:
    """Regions of the clinics whose pages the person may open."""
    return Region.objects.filter(pk__in=clinics_visible_to(user).values("region")).order_by(
        "name", "pk"
    )


def clinics_for(user: User) -> QuerySet[Clinic]:
    return (
        Clinic.objects.filter(pk__in=clinics_visible_to(user).values("pk"))
        .select_related("region")
        .order_by("region__name", "name", "pk")
    )


def filters_from_query(user: User, query) -> PortfolioFilters:
    """The dashboard's filter form, with choices scoped to ``user``: an id one may not see is
    refused like one that does not exist (a 400 that says which filter, never a leak)."""
    data = {name: query.get(name) for name in FILTER_NAMES if query.get(name) not in (None, "")}
    form = PortfolioFilterForm(
        data,
        regions=regions_for(user),
        clinics=clinics_for(user),
        partners=partner_organisations_visible_to(user),
    )
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.filters()


def projects_for(user: User, filters: PortfolioFilters) -> QuerySet[Project]:
    projects = (
        portfolio_projects(user=user, filters=filters)
        .select_related("lead_clinic__region", "owner")
        .prefetch_related("themes", "other_clinics")
        .order_by("title", "pk")
    )
    projects = projects_with_progress(projects)
    if not user.is_partner:
        # Partners read a project's summary and milestones; the value indicators are internal.
        projects = projects.prefetch_related(
            Prefetch("value_indicators", queryset=ValueIndicator.objects.order_by("dimension"))
        )
    return projects


def milestones_for(user: User, filters: PortfolioFilters) -> QuerySet[Milestone]:
    milestones = Milestone.objects.visible_to(user)
    if not filters.is_empty:
        milestones = milestones.filter(
            project__in=portfolio_projects(user=user, filters=filters).values("pk")
        )
    return milestones.select_related("project", "responsible_party").order_by("due_on", "pk")


def agreements_for(user: User, filters: PortfolioFilters) -> QuerySet[Agreement]:
    agreements = Agreement.objects.visible_to(user)
    if not filters.is_empty:
        agreements = agreements.filter(
            project__in=portfolio_projects(user=user, filters=filters).values("pk")
        )
    return (
        # Whether it is the current version: the one whose parties are the project's partners,
        # as the dashboard, its exports and the pages count them.
        agreements.annotate(
            is_current=Exists(Agreement.objects.current().filter(pk=OuterRef("pk")))
        )
        .select_related("project__lead_clinic__region")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organisation").order_by(
                    "organisation__name", "pk"
                ),
            )
        )
        .order_by("project", "title", "-version", "pk")
    )


def ideas_for(user: User, filters: PortfolioFilters) -> QuerySet[Idea]:
    return (
        portfolio_ideas(user=user, filters=filters)
        .select_related("clinic", "submitter")
        .prefetch_related("themes")
        .order_by("-created_at", "-pk")
    )


def innovation_time_for(user: User, filters: PortfolioFilters) -> QuerySet[InnovationTime]:
    """Innovation time rows: a leader's clinics' (and their projects'), a staff member's own,
    none for partners; the filters select their projects."""
    rows = innovation_time_visible_to(user)
    if not filters.is_empty:
        rows = rows.filter(project__in=portfolio_projects(user=user, filters=filters).values("pk"))
    return (
        rows.annotate(clinic=row_clinic())
        .select_related("project", "person")
        .order_by("-week", "project", "pk")
    )
