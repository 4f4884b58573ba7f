"""Reads behind staff's idea pages: my ideas, one idea's timeline, similar ideas, the clinic."""

import re
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format, localize
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, User
from clinics.selectors import clinics_led_by
from portfolio.models import (
    Idea,
    IdeaQuestion,
    IdeaStatusChange,
    Project,
    ValueMeasurement,
)

S = Idea.Status


def ideas_of_submitter(*, user: User) -> QuerySet[Idea]:
    """'My ideas': everything a person submitted, newest first, with what the list shows."""
    return (
        Idea.objects.filter(submitter=user)
        .select_related("clinic", "challenge", "project", "merged_into")
        .annotate(open_questions=Count("questions", filter=Q(questions__answered_at__isnull=True)))
        .order_by("-created_at", "-pk")
    )


def idea_for_user_or_404(*, user: User, pk: int) -> Idea:
    """The idea page's idea; 404 alike for 'missing' and 'not yours'."""
    return get_object_or_404(
        Idea.objects.visible_to(user).select_related(
            "clinic", "submitter", "challenge", "assigned_leader", "project", "merged_into"
        ),
        pk=pk,
    )


def idea_of_submitter_or_404(*, user: User, pk: int) -> Idea:
    """An idea its submitter acts on (edit, submit, withdraw); others get 404."""
    return get_object_or_404(
        Idea.objects.visible_to(user).filter(submitter=user).select_related("clinic"), pk=pk
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "status", "question", "answer", "stage", "update", "result"
    text: str
    who: User | None
    note: str = ""


def idea_timeline(*, idea: Idea) -> list[TimelineEntry]:
    """One timeline from submission through review and decision to the project's stages.

    Status changes, questions and answers, and (once accepted) the project's stage changes,
    status updates and results (value measurements), oldest first, each with its date and who
    made it. Five queries whatever the length.
    """
    entries: list[TimelineEntry] = []
    for change in IdeaStatusChange.objects.filter(idea=idea).select_related("changed_by"):
        entries.append(
            TimelineEntry(
                when=change.created_at,
                kind="status",
                text=str(S(change.to_status).label),
                who=change.changed_by,
                note=change.note,
            )
        )
    for question in idea.questions.select_related("asked_by"):
        entries.append(
            TimelineEntry(
                when=question.created_at,
                kind="question",
                text=str(_("Question asked")),
                who=question.asked_by,
                note=question.question,
            )
        )
        if question.answered_at:
            entries.append(
                TimelineEntry(
                    when=question.answered_at,
                    kind="answer",
                    text=str(_("Question answered")),
                    who=idea.submitter,
                    note=question.answer,
                )
            )
    project = getattr(idea, "project", None) if idea.status == S.ACCEPTED else None
    if project is not None:
        for change in project.stage_changes.select_related("decided_by"):
            entries.append(
                TimelineEntry(
                    when=change.created_at,
                    kind="stage",
                    text=str(
                        _("Project stage: %(stage)s")
                        % {"stage": Project.Stage(change.to_stage).label}
                    ),
                    who=change.decided_by,
                    note=change.note,
                )
            )
        for update in project.status_updates.select_related("author"):
            entries.append(
                TimelineEntry(
                    when=update.created_at,
                    kind="update",
                    text=str(
                        _("Project status update: %(health)s")
                        % {"health": Project.Health(update.health).label}
                    ),
                    who=update.author,
                    note=update.text,
                )
            )
        measurements = ValueMeasurement.objects.filter(indicator__project=project).select_related(
            "indicator", "recorded_by"
        )
        for measurement in measurements:
            indicator = measurement.indicator
            entries.append(
                TimelineEntry(
                    # When it was recorded (what the timeline orders by); the text says which
                    # day it was measured.
                    when=measurement.created_at,
                    kind="result",
                    text=str(
                        (
                            _("Result: %(indicator)s %(value)s %(unit)s, measured %(date)s")
                            if indicator.unit
                            else _("Result: %(indicator)s %(value)s, measured %(date)s")
                        )
                        % {
                            "indicator": indicator.name,
                            # As the project page shows it: two decimals, the language's comma.
                            "value": localize(measurement.value),
                            "unit": indicator.unit,
                            "date": date_format(measurement.measured_on, "SHORT_DATE_FORMAT"),
                        }
                    ),
                    who=measurement.recorded_by,
                    note=measurement.note,
                )
            )
    entries.sort(key=lambda entry: entry.when)
    return entries


def idea_questions(*, idea: Idea) -> QuerySet[IdeaQuestion]:
    return idea.questions.select_related("asked_by")


# --- Similar ideas while typing ---------------------------------------------------------------

SIMILARITY_THRESHOLD = 0.3
_WORD = re.compile(r"\w{4,}", re.UNICODE)


def _region_ideas_for(user: User) -> QuerySet[Idea]:
    """Ideas of the person's region they may know exist: others' non-drafts, and their own."""
    return (
        Idea.objects.filter(clinic__region=user.clinic.region_id)
        .exclude(Q(status=S.DRAFT) & ~Q(submitter=user))
        .exclude(status__in=(S.WITHDRAWN, S.MERGED))
    )


def _search(
    queryset, *, title: str, problem: str, fields: tuple[str, str], body_readable: Q, limit: int
):
    """Rows like the typed title and problem: titles against both, and the long text too, but
    only of the rows ``body_readable`` selects (those the person may open).

    Matching a text the person may not read would give it away word by word: type a word,
    see whether a colleague's idea turns up. So others' texts are never searched; their
    titles, which the list shows anyway, are.
    """
    title_field, body_field = fields
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
        from django.db.models import Case, F, FloatField, Value, When
        from django.db.models.functions import Greatest

        scores = []
        if title:
            # The typed title against titles, and as a phrase inside the longer texts one may
            # read (0 for the others).
            scores += [
                TrigramSimilarity(title_field, title),
                Case(
                    When(body_readable, then=TrigramWordSimilarity(title, body_field)),
                    default=Value(0.0),
                    output_field=FloatField(),
                ),
            ]
        if problem:
            # An existing title that appears in the problem being typed. word_similarity(a, b)
            # looks for a inside b, and Django's first argument is a literal unless it is an
            # expression: the column must be F(), the typed text Value().
            scores.append(TrigramWordSimilarity(F(title_field), Value(problem)))
        similarity = Greatest(*scores) if len(scores) > 1 else scores[0]
        return (
            queryset.annotate(similarity=similarity)
            .filter(similarity__gte=SIMILARITY_THRESHOLD)
            .order_by("-similarity")[:limit]
        )
    # SQLite (development and tests): any longer word of the text in the title, or in the body
    # of a row one may read.
    words = sorted(set(_WORD.findall(f"{title} {problem}".lower())), key=len, reverse=True)[:8]
    if not words:
        return queryset.none()
    in_title = reduce(or_, (Q(**{f"{title_field}__icontains": word}) for word in words))
    in_body = reduce(or_, (Q(**{f"{body_field}__icontains": word}) for word in words))
    return queryset.filter(in_title | (body_readable & in_body)).order_by("-created_at")[:limit]


def ideas_similar_to(
    *, user: User, title: str = "", problem: str = "", exclude_pk: int | None = None, limit=5
) -> tuple[list[Idea], list[Project]]:
    """Ideas and projects of the person's region that look like the one being typed.

    Only what a staff member may know: an idea's title, clinic and status, a project's title
    and stage; never a colleague's draft, never another region, and never a text the person
    may not open (not even as what a search matched: see ``_search``). A leader (the review
    page) compares with the regions of the clinics they lead, under the same rule: the ideas of
    those clinics in full (``readable``, linked), the other clinics' by title only.
    """
    if not user.is_authenticated:
        return [], []
    is_leader = user.is_leader or user.is_superuser
    if not (is_leader or (user.is_clinic_staff and user.clinic_id)):
        return [], []
    title, problem = title.strip(), problem.strip()[:300]
    if len(title) < 4 and len(problem) < 4:
        return [], []
    title = title if len(title) >= 4 else ""
    problem = problem if len(problem) >= 4 else ""
    if is_leader:
        # A leader (on the review page) compares with the ideas of the regions they work in;
        # those of the clinics they lead they may open in full, the others by title only.
        regions = None if user.is_superuser else clinics_led_by(user).values("region")
        ideas = Idea.objects.exclude(status__in=(S.DRAFT, S.WITHDRAWN, S.MERGED))
        projects = Project.objects.all()
        if regions is not None:
            ideas = ideas.filter(clinic__region__in=regions)
            projects = projects.filter(lead_clinic__region__in=regions)
        idea_readable = Q(pk__in=Idea.objects.visible_to(user).values("pk"))
    else:
        ideas = _region_ideas_for(user)
        projects = Project.objects.filter(lead_clinic__region=user.clinic.region_id)
        # Staff open only their own ideas (``Idea.objects.visible_to``).
        idea_readable = Q(submitter=user)
    if exclude_pk:
        ideas = ideas.exclude(pk=exclude_pk)
    ideas = (
        ideas.select_related("clinic")
        .only("pk", "title", "status", "submitter_id", "clinic__name")
        # Whether the person may open it: the list links only those.
        .annotate(readable=ExpressionWrapper(idea_readable, output_field=BooleanField()))
    )
    projects = projects.only("pk", "title", "stage")
    return (
        list(
            _search(
                ideas,
                title=title,
                problem=problem,
                fields=("title", "problem"),
                body_readable=idea_readable,
                limit=limit,
            )
        ),
        list(
            _search(
                projects,
                title=title,
                problem=problem,
                fields=("title", "summary"),
                body_readable=Q(pk__in=Project.objects.visible_to(user).values("pk")),
                limit=limit,
            )
        ),
    )


# --- The clinic page --------------------------------------------------------------------------


def clinic_projects_for(*, user: User, clinic: Clinic) -> QuerySet[Project]:
    """The clinic's projects (led or joined) that the person may see, with their stage."""
    return (
        Project.objects.visible_to(user)
        .filter(Q(lead_clinic=clinic) | Q(pk__in=clinic.joined_projects.values("pk")))
        .select_related("lead_clinic")
        .order_by("stage", "title")
    )


def clinic_submitted_ideas_for(*, user: User, clinic: Clinic) -> QuerySet[Idea]:
    """Colleagues' ideas in review at the clinic: title and status only, never drafts."""
    return (
        Idea.objects.filter(clinic=clinic, status__in=(S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO))
        .only("pk", "title", "status", "submitter_id", "submitted_at")
        .order_by("-submitted_at")
    )
