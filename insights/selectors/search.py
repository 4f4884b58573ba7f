"""The site's search: ideas, projects, challenges, partner organisations and milestones, each read
through its own ``visible_to`` set (or the selector of the page that shows it), so nobody finds
what they cannot open.

It lives in insights because it reads both domains (milestones and organisations are the
partners app's); each kind says which set it searches, which texts, and which page opens a hit.
A person's query costs two queries per kind at most (its count, and the rows shown), whatever
the data: no more than one page of a kind is ever read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from clinics.access import Access, access_for
from clinics.models import User
from core.search import headline_html, text_search, with_headlines, with_search_rank
from partners.models import Milestone
from partners.querysets import partner_organisations_visible_to
from portfolio.access import challenges_editable_by
from portfolio.models import Challenge, Idea, Project
from portfolio.selectors.challenges import challenges_open_for

# The shortest query searched: one letter would match nearly everything.
MIN_QUERY_LENGTH = 2
# Hits of each kind on the page of every kind; a page of one kind (``?kind=``) shows PAGE_SIZE.
PREVIEW_SIZE = 5
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchHit:
    pk: int
    title: str  # plain text (the API's)
    title_html: SafeString
    snippet_html: SafeString
    url: str
    context: str


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    title: str  # the short text: highlighted in full, and matched by trigram for typos
    body: str  # the long text: shown around its matches
    searchable: Callable[[User, Access], QuerySet]
    url: Callable[[object, Access], str]
    context: Callable[[object], str]


def _ideas(user: User, access: Access) -> QuerySet:
    # Only ideas the person may open (their own; leaders: their clinics'). A colleague's idea
    # shows staff its title on the clinic page, but its text is not theirs to search.
    return Idea.objects.visible_to(user).select_related("clinic")


def _projects(user: User, access: Access) -> QuerySet:
    return Project.objects.visible_to(user).select_related("lead_clinic")


def _challenges(user: User, access: Access) -> QuerySet:
    """Leaders: the challenges of their list (and whether they may edit each). Staff: the open
    ones of their page. Partner users have no page that shows a challenge: none."""
    if access.is_leader:
        editable = challenges_editable_by(user).filter(pk=OuterRef("pk"))
        return (
            Challenge.objects.visible_to(user)
            .select_related("clinic", "region")
            .annotate(editable=Exists(editable))
        )
    if access.is_staff:
        return challenges_open_for(user=user)
    return Challenge.objects.none()


def _milestones(user: User, access: Access) -> QuerySet:
    return Milestone.objects.visible_to(user).select_related("project")


def _organisations(user: User, access: Access) -> QuerySet:
    return partner_organisations_visible_to(user)


def _challenge_url(challenge, access: Access) -> str:
    if access.is_leader:
        if challenge.editable:
            return reverse("portfolio:leader_challenge_edit", args=[challenge.pk])
        return reverse("portfolio:leader_challenges")
    return f"{reverse('portfolio:challenges_open')}#challenge-{challenge.pk}"


def _organisation_url(organisation, access: Access) -> str:
    if access.is_leader:
        return reverse("partners:organisation_detail", args=[organisation.pk])
    return reverse("partners:home")  # a partner user's own organisation


KINDS = (
    SearchKind(
        key="project",
        label=_("Projects"),
        title="title",
        body="summary",
        searchable=_projects,
        url=lambda project, access: reverse("portfolio:project_detail", args=[project.pk]),
        context=lambda project: f"{project.lead_clinic} · {project.get_stage_display()}",
    ),
    SearchKind(
        key="idea",
        label=_("Ideas"),
        title="title",
        body="problem",
        searchable=_ideas,
        url=lambda idea, access: reverse("portfolio:idea_detail", args=[idea.pk]),
        context=lambda idea: f"{idea.clinic} · {idea.get_status_display()}",
    ),
    SearchKind(
        key="challenge",
        label=_("Challenges"),
        title="title",
        body="description",
        searchable=_challenges,
        url=_challenge_url,
        context=lambda challenge: str(challenge.clinic or challenge.region),
    ),
    SearchKind(
        key="milestone",
        label=_("Milestones"),
        title="title",
        body="description",
        searchable=_milestones,
        url=lambda milestone, access: reverse("partners:milestone_detail", args=[milestone.pk]),
        context=lambda milestone: (
            f"{milestone.project.title} · {date_format(milestone.due_on, 'SHORT_DATE_FORMAT')}"
        ),
    ),
    SearchKind(
        key="organisation",
        label=_("Partner organisations"),
        title="name",
        body="description",
        searchable=_organisations,
        url=_organisation_url,
        context=lambda organisation: organisation.get_kind_display(),
    ),
)


@dataclass
class KindResults:
    kind: SearchKind
    count: int
    matches: QuerySet | None = None
    hits: list[SearchHit] = field(default_factory=list)


def _matches(kind: SearchKind, user: User, access: Access, q: str) -> QuerySet | None:
    """The kind's rows matching ``q`` that ``user`` may open, best first; None if the person
    has no page for this kind at all (the kind is left out of their results)."""
    searchable = kind.searchable(user, access)
    if not searchable.query.is_empty():
        matched = text_search(searchable, q, (kind.title, kind.body), similar_field=kind.title)
        return with_search_rank(matched, q, (kind.title, kind.body)).order_by("-search_rank", "-pk")
    return None


def hits_of(kind: SearchKind, rows, q: str, access: Access) -> list[SearchHit]:
    return [
        SearchHit(
            pk=row.pk,
            title=getattr(row, kind.title),
            title_html=headline_html(row.title_marked, q),
            snippet_html=headline_html(row.body_marked, q, snippet=True),
            url=kind.url(row, access),
            context=kind.context(row),
        )
        for row in rows
    ]


def with_headlines_of(kind: SearchKind, queryset: QuerySet, q: str) -> QuerySet:
    return with_headlines(queryset, q, title=kind.title, body=kind.body)


def search_counts(*, user: User, q: str) -> list[KindResults]:
    """Every kind this person may search and how many of its rows match: one query a kind.
    Kinds the person has no page for (a partner user's ideas) are left out."""
    access = access_for(user)
    results = []
    for kind in KINDS:
        matches = _matches(kind, user, access, q)
        if matches is not None:
            results.append(KindResults(kind, matches.count(), matches=matches))
    return results


def search_preview(results: list[KindResults], *, user: User, q: str) -> None:
    """Fill each kind's best ``PREVIEW_SIZE`` hits: one query a kind that has any."""
    access = access_for(user)
    for result in results:
        if result.count:
            rows = with_headlines_of(result.kind, result.matches, q)[:PREVIEW_SIZE]
            result.hits = hits_of(result.kind, rows, q, access)
