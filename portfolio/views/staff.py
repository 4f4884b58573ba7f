"""Clinic staff's pages: my ideas, the idea form, the idea page, challenges, notifications.

Thin views: access through ``visible_to``-based selectors (404 alike for missing and not
yours), role checks answer 403, writes go through ``portfolio.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinics.access import STAFF, role_required
from clinics.downloads import protected_download, stored_file_download
from core.forms import add_service_errors
from core.notifications import (
    notification_kinds_update,
    notification_mark_read,
    notification_settings_update,
)
from core.selectors import notifications_for
from portfolio.forms.ideas import AnswerForm, IdeaForm, NotificationSettingsForm
from portfolio.forms.notification_kinds import NotificationKindsForm
from portfolio.models import Idea, IdeaAttachment, IdeaQuestion, Project
from portfolio.selectors.challenges import challenges_open_for
from portfolio.selectors.ideas import (
    idea_for_user_or_404,
    idea_of_submitter_or_404,
    idea_questions,
    idea_timeline,
    ideas_of_submitter,
    ideas_similar_to,
)
from portfolio.services.ideas import (
    idea_answer_question,
    idea_create,
    idea_submit,
    idea_update,
    idea_withdraw,
)

NOTIFICATIONS_SHOWN = 50


def _id_from(value: str) -> int | None:
    """An id from the query string, or None: "²".isdigit() is true, and ids fit in 64 bits."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@role_required(STAFF)
@require_GET
def my_ideas(request):
    ideas = ideas_of_submitter(user=request.user)
    return render(
        request,
        "portfolio/idea_mine.html",
        {"ideas": ideas, "open_challenges": challenges_open_for(user=request.user)[:3]},
    )


@role_required(STAFF)
def idea_create_view(request):
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                idea, created = idea_create(
                    submitter=request.user,
                    **form.content_data,
                    attachments=form.cleaned_data["attachments"],
                    submission_token=form.cleaned_data.get("submission_token"),
                    submit=submit,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                form.name_chosen_files()
            else:
                if created:
                    messages.success(
                        request,
                        _("Your idea was submitted. You will be told when it moves on.")
                        if submit
                        else _("Your draft was saved. Submit it when you are ready."),
                    )
                elif submit and idea.status == Idea.Status.SUBMITTED:
                    # The same form again (a double click, or "Save draft" then "Submit"):
                    # the idea it made is submitted, as it was saved.
                    messages.success(
                        request, _("Your idea was submitted. You will be told when it moves on.")
                    )
                else:
                    messages.info(
                        request, _("This form had already been sent: here is the idea it made.")
                    )
                return redirect("portfolio:idea_detail", pk=idea.pk)
        status = 400
    else:
        initial = {}
        challenge_id = _id_from(request.GET.get("challenge", ""))
        if challenge_id is not None:
            # "Answer this challenge": preset only if it is one the person may answer.
            initial["challenge"] = (
                challenges_open_for(user=request.user).filter(pk=challenge_id).first()
            )
        form = IdeaForm(user=request.user, initial=initial)
        status = 200
    return render(request, "portfolio/idea_form.html", {"form": form}, status=status)


@role_required(STAFF)
def idea_update_view(request, pk):
    idea = idea_of_submitter_or_404(user=request.user, pk=pk)
    if not idea.is_editable_by_submitter:
        messages.warning(request, _("This idea can no longer be edited."))
        return redirect("portfolio:idea_detail", pk=idea.pk)
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, user=request.user, instance=idea)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                idea_update(
                    idea=idea,
                    actor=request.user,
                    data=form.content_data,
                    attachments=form.cleaned_data["attachments"],
                    expected_version=form.cleaned_data["version"],
                    submit=submit,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                form.name_chosen_files()
            else:
                messages.success(
                    request,
                    _("Your idea was sent to the innovation leader.")
                    if submit
                    else _("Your changes were saved."),
                )
                return redirect("portfolio:idea_detail", pk=idea.pk)
        status = 400
    else:
        form = IdeaForm(user=request.user, instance=idea)
        status = 200
    return render(request, "portfolio/idea_form.html", {"form": form, "idea": idea}, status=status)


@login_required
@require_GET
def idea_detail(request, pk):
    """The idea page, for its submitter and for the leaders of its clinic.

    Staff-only actions (edit, submit, withdraw, answer) are shown only to the submitter; the
    leaders' actions live on their own review page.
    """
    idea = idea_for_user_or_404(user=request.user, pk=pk)
    return render(request, "portfolio/idea_detail.html", _detail_context(request, idea))


def _detail_context(request, idea, answer_forms=None):
    is_submitter = idea.submitter_id == request.user.pk
    questions = list(idea_questions(idea=idea))
    answer_forms = answer_forms or {}
    if is_submitter and idea.status in (
        Idea.Status.SUBMITTED,
        Idea.Status.IN_REVIEW,
        Idea.Status.NEEDS_INFO,
    ):
        for question in questions:
            if not question.answered_at and question.pk not in answer_forms:
                answer_forms[question.pk] = AnswerForm(question_id=question.pk)
    for question in questions:
        question.answer_form = answer_forms.get(question.pk)
    project = getattr(idea, "project", None) if idea.status == Idea.Status.ACCEPTED else None
    return {
        "idea": idea,
        "is_submitter": is_submitter,
        "questions": questions,
        "attachments": idea.attachments.all(),
        "timeline": idea_timeline(idea=idea),
        "project": project,
        "can_withdraw": is_submitter
        and idea.status
        in (
            Idea.Status.DRAFT,
            Idea.Status.SUBMITTED,
            Idea.Status.IN_REVIEW,
            Idea.Status.NEEDS_INFO,
        ),
    }


@role_required(STAFF)
@require_POST
def idea_submit_view(request, pk):
    idea = idea_of_submitter_or_404(user=request.user, pk=pk)
    try:
        idea_submit(idea=idea, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your idea was submitted. You will be told when it moves on."))
    return redirect("portfolio:idea_detail", pk=idea.pk)


@role_required(STAFF)
@require_POST
def idea_withdraw_view(request, pk):
    idea = idea_of_submitter_or_404(user=request.user, pk=pk)
    try:
        idea_withdraw(idea=idea, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your idea was withdrawn."))
    return redirect("portfolio:idea_detail", pk=idea.pk)


@role_required(STAFF)
@require_POST
def idea_answer_view(request, pk, question_pk):
    idea = idea_of_submitter_or_404(user=request.user, pk=pk)
    question = get_object_or_404(IdeaQuestion.objects.filter(idea=idea), pk=question_pk)
    form = AnswerForm(request.POST, question_id=question.pk)
    if form.is_valid():
        try:
            idea_answer_question(
                question=question, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your answer was sent."))
            return redirect("portfolio:idea_detail", pk=idea.pk)
    idea = idea_for_user_or_404(user=request.user, pk=pk)
    context = _detail_context(request, idea, answer_forms={question.pk: form})
    return render(request, "portfolio/idea_detail.html", context, status=400)


@protected_download
@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """Serve an attachment only to people who may see its idea, always as a download."""
    idea = get_object_or_404(Idea.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(IdeaAttachment.objects.filter(idea=idea), pk=attachment_pk)
    return stored_file_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@role_required(STAFF)
@require_GET
def similar_ideas(request):
    """A small HTML fragment for the idea form: look-alike ideas and projects of the region."""
    ideas, projects = ideas_similar_to(
        user=request.user,
        title=request.GET.get("title", "")[:200],
        problem=request.GET.get("problem", "")[:1000],
        exclude_pk=_id_from(request.GET.get("exclude", "")),
    )
    # Staff may ask to join the running projects they can open: the panel links to their team.
    joinable = set(
        Project.objects.visible_to(request.user)
        .filter(pk__in=[project.pk for project in projects], stage__in=Project.ACTIVE_STAGES)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "portfolio/_similar_ideas.html",
        {"similar_ideas": ideas, "similar_projects": projects, "joinable_project_ids": joinable},
    )


@role_required(STAFF)
@require_GET
def challenge_list(request):
    return render(
        request,
        "portfolio/challenge_list.html",
        {"challenges": challenges_open_for(user=request.user)},
    )


@login_required
def notification_list(request):
    if request.method == "POST":
        notification_mark_read(recipient=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("portfolio:notifications")
    # A page at a time: older notifications stay reachable, and the page never grows.
    page = Paginator(notifications_for(user=request.user), NOTIFICATIONS_SHOWN).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portfolio/notification_list.html",
        {"notifications": page.object_list, "page": page},
    )


@login_required
@require_GET
def notification_open(request, pk):
    """Follow a notification's link and mark it read (only one's own; only links on this site)."""
    notification = get_object_or_404(notifications_for(user=request.user), pk=pk)
    notification_mark_read(recipient=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("portfolio:notifications")
    return redirect(target)


@login_required
def notification_settings(request):
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, instance=request.user)
        kinds_form = NotificationKindsForm(request.POST, user=request.user)
        if form.is_valid() and kinds_form.is_valid():
            with transaction.atomic():
                notification_settings_update(
                    user=request.user,
                    notify_in_app=form.cleaned_data["notify_in_app"],
                    notify_by_email=form.cleaned_data["notify_by_email"],
                )
                notification_kinds_update(user=request.user, enabled=kinds_form.enabled)
            messages.success(request, _("Your notification settings were saved."))
            return redirect("portfolio:notification_settings")
    else:
        form = NotificationSettingsForm(instance=request.user)
        kinds_form = NotificationKindsForm(user=request.user)
    return render(
        request,
        "portfolio/notification_settings.html",
        {"form": form, "kinds_form": kinds_form},
    )
