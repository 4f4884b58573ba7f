"""Innovation leaders' pages: dashboard, exports, review queue and review, projects, challenges.

Thin views: access through ``visible_to`` selectors (404 alike for missing and not yours),
writes through the services, bad input re-rendered with a 4xx status and the message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.access import LEADER, access_for, role_required
from clinics.selectors import clinics_led_by, regions_led_by
from core.forms import add_service_errors, form_has_error_code
from portfolio.access import challenges_editable_by, project_can_read_history, project_can_steer
from portfolio.forms.challenges import ChallengeForm
from portfolio.forms.projects import (
    MeasurementForm,
    StageChangeForm,
    StatusUpdateForm,
)
from portfolio.forms.review import (
    AcceptForm,
    DecisionMergeForm,
    DeclineForm,
    QuestionForm,
    ReviewForm,
    ReviewQueueFilterForm,
)
from portfolio.models import REVIEW_CRITERIA, Challenge, Idea, Project, Review
from portfolio.project_page import project_page_extras
from portfolio.selectors.history import project_history, review_history
from portfolio.selectors.ideas import ideas_similar_to
from portfolio.selectors.projects import (
    project_documents,
    project_for_user_or_404,
    project_stage_history,
    project_status_updates,
    project_value_indicators,
)
from portfolio.selectors.reviews import idea_for_review_or_404, merge_targets_for, review_queue
from portfolio.services import challenges as challenge_services
from portfolio.services import projects as project_services
from portfolio.services import reviews as review_services

PAGE_SIZE = 25


# --- Review ------------------------------------------------------------------------------------


@role_required(LEADER)
@require_GET
def review_queue_view(request):
    form = ReviewQueueFilterForm(
        request.GET or None, clinics=clinics_led_by(request.user).order_by("name")
    )
    ideas = review_queue(
        user=request.user,
        status=form.value("status", "waiting"),
        clinic=form.value("clinic"),
        q=(form.value("q", "") or "").strip(),
    )
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/idea_review_queue.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


REVIEW_ACTIONS = ("score", "ask", "accept", "decline", "merge")


@role_required(LEADER)
@require_http_methods(["GET", "POST"])
def review_idea(request, pk):
    idea = idea_for_review_or_404(request.user, pk)
    own_review = Review.objects.filter(idea=idea, reviewer=request.user).first()
    targets = merge_targets_for(request.user, idea)
    initial_scores = (
        {name: getattr(own_review, name) for name in REVIEW_CRITERIA}
        | {"comment": own_review.comment, "recommendation": own_review.recommendation}
        if own_review
        else None
    )
    # The decisions share one form: the leader picks one ``action`` and fills its fields.
    decision_forms = {
        "accept": (AcceptForm, {"initial": {"title": idea.title}}),
        "decline": (DeclineForm, {}),
        "ask": (QuestionForm, {}),
        "merge": (DecisionMergeForm, {"targets": targets}),
    }
    posted = request.POST if request.method == "POST" else None
    forms = {"score": ReviewForm(initial=initial_scores)}
    for name, (form_class, kwargs) in decision_forms.items():
        kwargs = dict(kwargs)
        if posted is not None and "decision" in posted:
            # What was typed for the other decisions is shown again, not lost.
            kwargs["initial"] = {field: posted.get(field, "") for field in form_class.base_fields}
        forms[name] = form_class(**kwargs)
    decision_error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in REVIEW_ACTIONS:
            if "decision" in request.POST and not action:
                # The decision form sent without a decision chosen: say so next to the choice.
                decision_error = _("Choose a decision.")
                return _review_render(request, idea, own_review, forms, decision_error, status=400)
            return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
        if action == "score":
            form = ReviewForm(request.POST)
        else:
            form_class, kwargs = decision_forms[action]
            kwargs = {key: value for key, value in kwargs.items() if key != "initial"}
            form = form_class(request.POST, **kwargs)
        forms[action] = form
        if form.is_valid():
            try:
                target = _review_act(request, idea, action, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(target)
        # Deciding an idea that someone decided meanwhile is a conflict, not bad input.
        status = 409 if form_has_error_code(form, "decided", "invalid_transition") else 400
        if status == 409:
            idea.refresh_from_db()
    return _review_render(request, idea, own_review, forms, decision_error, status=status)


def _review_render(request, idea, own_review, forms, decision_error, *, status):
    action = request.POST.get("action") if request.method == "POST" else None
    similar_ideas, similar_projects = ideas_similar_to(
        user=request.user, title=idea.title, problem=idea.problem, exclude_pk=idea.pk
    )
    summary = review_services.idea_review_summary(idea=idea)
    return render(
        request,
        "portfolio/idea_review.html",
        {
            "idea": idea,
            "forms": forms,
            "own_review": own_review,
            "summary": summary,
            "criteria": [
                (Review._meta.get_field(name).verbose_name, summary[name])
                for name in REVIEW_CRITERIA
            ],
            "reviews": idea.reviews.select_related("reviewer").order_by("created_at"),
            "questions": idea.questions.select_related("asked_by").order_by("created_at"),
            "timeline": idea.status_changes.select_related("changed_by").order_by("created_at"),
            "is_open": idea.status in review_services.OPEN_FOR_REVIEW,
            "project": Project.objects.filter(idea=idea).first(),
            "change_history": review_history(idea),
            "attachments": idea.attachments.all(),
            "similar_ideas": similar_ideas,
            "similar_projects": similar_projects,
            "for_review": True,
            "decision": action if action in forms and action != "score" else "",
            "decision_error": decision_error,
        },
        status=status,
    )


def _review_act(request, idea: Idea, action: str, form) -> str:
    user, data = request.user, form.cleaned_data
    if action == "score":
        review_services.review_save(
            idea=idea,
            reviewer=user,
            scores=form.scores,
            comment=data["comment"],
            recommendation=data["recommendation"],
        )
        messages.success(request, _("Your scores are saved."))
    elif action == "ask":
        review_services.idea_question_ask(idea=idea, actor=user, question=data["question"])
        messages.success(request, _("Your question was sent to the submitter."))
    elif action == "accept":
        project = review_services.idea_accept(
            idea=idea, actor=user, note=data["note"], title=data["title"]
        )
        messages.success(
            request, _("The idea is accepted: its project starts in the concept stage.")
        )
        return _project_url(project)
    elif action == "decline":
        review_services.idea_decline(idea=idea, actor=user, reason=data["reason"])
        messages.success(request, _("The idea is declined; the submitter sees your reason."))
    elif action == "merge":
        review_services.idea_merge(
            idea=idea, into=data["into"], actor=user, note=data["merge_note"]
        )
        messages.success(request, _("The idea is merged."))
    return _review_url(idea)


def _review_url(idea):
    return reverse("portfolio:review_idea", args=[idea.pk])


def _project_url(project):
    return reverse("portfolio:project_detail", args=[project.pk])


# --- Project page ------------------------------------------------------------------------------

PROJECT_ACTIONS = ("stage", "status", "measure")


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request, pk):
    """Everyone who may open the project reads it (through ``visible_to``); leaders of its lead
    clinic steer it (``project_can_steer``), everyone else gets the page without the forms."""
    project = project_for_user_or_404(request.user, pk)
    user = request.user
    can_steer = project_can_steer(access_for(user), project)
    indicators = project_value_indicators(project)
    forms = {}
    if can_steer:
        forms = {
            "stage": StageChangeForm(project=project),
            "status": StatusUpdateForm(initial={"health": project.health}),
            "measure": MeasurementForm(indicators=_measurable(project)),
        }
    status = 200
    if request.method == "POST":
        if not can_steer:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in PROJECT_ACTIONS:
            return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")
        if action == "stage":
            form = StageChangeForm(request.POST, project=project)
        elif action == "status":
            form = StatusUpdateForm(request.POST)
        else:
            form = MeasurementForm(request.POST, indicators=_measurable(project))
        forms[action] = form
        if form.is_valid():
            try:
                _project_act(request, project, action, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_project_url(project))
        stale = form_has_error_code(form, "stale")
        status = 409 if stale else 400
        if stale:
            # Show the project as it is now: the refused form starts again from it.
            project = project_for_user_or_404(user, pk)
            form.data = form.data.copy()
            form.data["version"] = project.version
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "can_steer": can_steer,
            # Partners read the summary and the milestones; the rest is the region's own.
            "show_internal": not user.is_partner,
            "forms": forms,
            "history": project_stage_history(project),
            "status_updates": project_status_updates(project),
            "indicators": indicators,
            "documents": project_documents(project),
            # What the apps above add to the page (the partners app: agreements, milestones).
            **project_page_extras(user, project),
            "other_clinics": project.other_clinics.order_by("name"),
            "themes": project.themes.all(),
            "today": timezone.localdate(),
            # The audit trail is for the region's leaders (and administrators).
            "change_history": project_history(project)
            if project_can_read_history(access_for(user))
            else None,
        },
        status=status,
    )


def _measurable(project: Project):
    """A retired indicator takes no new measurements: it is not offered (a forged id is a
    field error)."""
    return project.value_indicators.filter(retired_at__isnull=True).order_by("dimension", "name")


def _project_act(request, project: Project, action: str, form) -> None:
    data = form.cleaned_data
    if action == "stage":
        project_services.project_change_stage(
            project=project,
            to_stage=data["to_stage"],
            actor=request.user,
            note=data["note"],
            expected_version=data["version"],
            criteria_met=data["criteria_met"],
        )
        messages.success(request, _("The project moved to its new stage."))
    elif action == "status":
        project_services.status_update_post(
            project=project, author=request.user, health=data["health"], text=data["text"]
        )
        messages.success(request, _("Your status update is posted."))
    else:
        project_services.value_measurement_record(
            indicator=data["indicator"],
            value=data["value"],
            measured_on=data["measured_on"],
            recorded_by=request.user,
            note=data["note"],
        )
        messages.success(request, _("The measurement is recorded."))


# --- Challenges --------------------------------------------------------------------------------


def _challenge_form(request, **kwargs):
    user = request.user
    return ChallengeForm(
        request.POST if request.method == "POST" else None,
        regions=regions_led_by(user).order_by("name"),
        clinics=clinics_led_by(user).select_related("region").order_by("name"),
        **kwargs,
    )


@role_required(LEADER)
@require_GET
def challenge_list(request):
    clinics = clinics_led_by(request.user)
    challenges = (
        Challenge.objects.visible_to(request.user)
        .filter(Q(clinic__isnull=True) | Q(clinic__in=clinics))
        .select_related("region", "clinic", "posted_by")
        .order_by("-created_at", "pk")
    )
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page"))
    # A leader of some clinics reads the region-wide challenges but may not edit them.
    editable = set(
        challenges_editable_by(request.user)
        .filter(pk__in=[challenge.pk for challenge in page])
        .values_list("pk", flat=True)
    )
    return render(request, "portfolio/challenge_manage.html", {"page": page, "editable": editable})


def _challenge_fields(data):
    return {
        "region": data["region"],
        "clinic": data["clinic"],
        "title": data["title"],
        "description": data["description"],
        "closes_on": data["closes_on"],
        "open_to_partners": data["open_to_partners"],
    }


@role_required(LEADER)
@require_http_methods(["GET", "POST"])
def challenge_create(request):
    form = _challenge_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            challenge_services.challenge_create(
                actor=request.user, **_challenge_fields(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The challenge is posted."))
            return redirect("portfolio:leader_challenges")
    return render(
        request,
        "portfolio/challenge_form.html",
        {"form": form, "challenge": None},
        status=400 if request.method == "POST" else 200,
    )


@role_required(LEADER)
@require_http_methods(["GET", "POST"])
def challenge_edit(request, pk):
    challenge = get_object_or_404(challenges_editable_by(request.user), pk=pk)
    initial = {
        "region": challenge.region_id,
        "clinic": challenge.clinic_id,
        "title": challenge.title,
        "description": challenge.description,
        "closes_on": challenge.closes_on,
        "open_to_partners": challenge.open_to_partners,
        "version": challenge_services.challenge_version(challenge),
    }
    form = _challenge_form(request, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                challenge_services.challenge_update(
                    challenge=challenge,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **_challenge_fields(form.cleaned_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The challenge is saved."))
                return redirect("portfolio:leader_challenges")
        stale = form_has_error_code(form, "stale")
        status = 409 if stale else 400
    return render(
        request,
        "portfolio/challenge_form.html",
        {"form": form, "challenge": challenge},
        status=status,
    )
