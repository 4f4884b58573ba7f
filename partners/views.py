"""Pages of the partners app: thin views over the selectors (reads) and services (writes).

Access: objects come through ``*_for_user_or_404`` (built on ``visible_to``), so "missing" and
"not yours" both answer 404. An action the person may not take on an object they can see
answers 403, and so does a page of another role.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from clinics.access import LEADER, PARTNER, access_for, require, role_required
from clinics.downloads import protected_download, stored_file_download
from core.csv import csv_response
from core.forms import add_service_errors
from partners.agreement_page import agreement_page_sections
from partners.history import agreement_history, milestone_history_entries

from . import selectors
from .access import (
    agreement_can_confirm,
    agreement_can_edit,
    agreement_can_manage,
    agreement_can_version,
    agreement_document_can_add,
    agreement_party_of,
    ledger_can_read,
    milestone_can_confirm,
    milestone_can_manage,
    milestone_can_update,
    milestone_confirming_leader,
    organisations_choosable_for_agreement,
)
from .engagement import engagement_figures, engagement_for_organisation
from .forms import (
    AgreementConfirmForm,
    AgreementForm,
    AgreementPartyFormSet,
    IncomeEntryForm,
    IPItemForm,
    MilestoneConfirmForm,
    MilestoneForm,
    MilestoneProgressForm,
    MilestoneReopenForm,
    PartnerInvitationForm,
    PartnerMilestoneFilterForm,
    ReinvestmentForm,
)
from .models import Agreement, Milestone
from .services.agreements import (
    LEADER_TRANSITIONS,
    PARTY_FIELDS,
    AgreementChanged,
    agreement_confirm,
    agreement_create,
    agreement_edit,
    agreement_new_version,
    agreement_replaced_by,
    agreement_transition,
)
from .services.invitations import partner_accept_invitation, partner_invite
from .services.ledger import income_entry_create, ip_item_create, reinvestment_create
from .services.milestones import (
    MilestoneConflict,
    milestone_confirm,
    milestone_create,
    milestone_edit,
    milestone_reopen,
    milestone_update,
)
from .tokens import invitation_token_generator

# --- Partner home and projects ---------------------------------------------------------------
MILESTONES_PER_PAGE = 25
PROJECTS_PER_PAGE = 25


@role_required(PARTNER)
@require_GET
def home(request):
    """A partner user's start page: what needs their organisation's action (overdue, due soon,
    blocked, agreements to confirm), then their milestones with filters and their projects, a
    page of each at a time. Its queries and its size do not grow with the organisation's data."""
    home = selectors.partner_home(request.user)
    context = {"home": home}
    if home.organisation is not None:
        form = PartnerMilestoneFilterForm(request.GET or None)
        project = None
        project_id = form.value("project")
        if project_id:
            project = selectors.partner_projects(request.user).filter(pk=project_id).first()
            if project is None:
                # A project id that is not (or no longer) theirs: say so, list everything.
                form.add_error(None, _("That project is not one of your organisation's."))
                project_id = None
        filters = selectors.PartnerMilestoneFilters(
            q=(form.value("q", "") or "").strip(),
            status=form.value("status", ""),
            due=form.value("due", ""),
            project=project_id,
        )
        context |= {
            "form": form,
            "filtered_project": project,
            "milestones": Paginator(
                selectors.partner_milestones(request.user, filters), MILESTONES_PER_PAGE
            ).get_page(request.GET.get("page")),
            "projects": Paginator(
                selectors.partner_projects(request.user), PROJECTS_PER_PAGE
            ).get_page(request.GET.get("projects_page")),
            "query": _query_without(request, "page"),
            "projects_query": _query_without(request, "projects_page"),
            "filtered": any((filters.q, filters.status, filters.due, filters.project)),
        }
    status = 400 if context.get("form") is not None and context["form"].errors else 200
    return render(request, "partners/organisation_home.html", context, status=status)


def _query_without(request, name: str) -> str:
    """The page's query string without one parameter: the links of one paginator keep the
    filters and the other paginator's page."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
def project_detail(request, pk):
    """The one project page is the portfolio's (``portfolio:project_detail``): this old address
    redirects there, after the same visibility check, so a foreign id still answers 404."""
    project = selectors.project_for_user_or_404(request.user, pk)
    return redirect("portfolio:project_detail", pk=project.pk)


@protected_download
@role_required(LEADER, PARTNER)
def milestone_export(request):
    """The milestones the person may see, as CSV (the same rule as every page).

    Exports are for leaders and partner users (their organisation's list); clinic staff read
    milestones on the pages but get no exports (DOMAIN.md: who sees what).
    """
    header = [
        _("Project"),
        _("Milestone"),
        _("Responsible party"),
        _("Due on"),
        _("Status"),
        _("Progress (%)"),
    ]
    rows = (
        [
            milestone.project.title,
            milestone.title,
            str(milestone.responsible_party or _("The region")),
            milestone.due_on.isoformat(),
            milestone.get_status_display(),
            milestone.progress,
        ]
        for milestone in selectors.milestones_for_export(request.user).iterator(chunk_size=500)
    )
    return csv_response("milestones.csv", header, rows)


# --- Milestones --------------------------------------------------------------------------------
def _milestone_page(request, milestone, *, form=None, conflict=None, reopen_form=None, status=200):
    user = request.user
    access = access_for(user)
    can_update = milestone_can_update(access, milestone)
    can_manage = milestone_can_manage(access, milestone.project)
    can_confirm = can_manage and milestone_can_confirm(access, milestone)
    if form is None and can_update:
        form = MilestoneProgressForm(
            initial={
                "version": milestone.version,
                "status": milestone.status,
                "progress": milestone.progress,
            }
        )
    if reopen_form is None and can_confirm:
        reopen_form = MilestoneReopenForm(initial={"version": milestone.version})
    return render(
        request,
        "partners/milestone_detail.html",
        {
            "milestone": milestone,
            "history": selectors.milestone_history(milestone),
            "form": form if can_update else None,
            "reopen_form": reopen_form if can_confirm else None,
            "can_manage": can_manage,
            "can_confirm": can_confirm,
            "confirming_leader": milestone_confirming_leader(milestone, access),
            "conflict": conflict,
            "conflict_history": selectors.describe_changes(conflict.updates) if conflict else [],
            "awaiting_confirmation": milestone.status == Milestone.Status.DONE
            and milestone.confirmed_at is None,
            # The audit trail is for the region's leaders, those who only read the project too.
            "change_history": milestone_history_entries(milestone)
            if ledger_can_read(access_for(user))
            else None,
        },
        status=status,
    )


def _conflict_form(request, form_class, conflict: MilestoneConflict, **kwargs):
    """Keep what the person typed, but let the next save build on the newest version."""
    data = request.POST.copy()
    data["version"] = str(conflict.milestone.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone else saved this milestone while you were editing it. Their change is "
            "shown below and nothing was overwritten; check your input and save again."
        ),
    )
    if request.FILES:
        # Browsers never refill a file input: say so rather than lose the file quietly.
        form.add_error(None, _("Choose your file again: it was not saved."))
    return form


@login_required
def milestone_detail(request, pk):
    """The milestone, its history, and (POST) a progress report."""
    user = request.user
    milestone = selectors.milestone_for_user_or_404(user, pk)
    if request.method != "POST":
        return _milestone_page(request, milestone)
    require(milestone_can_update(access_for(user), milestone))
    form = MilestoneProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            milestone_update(
                milestone=milestone,
                actor=user,
                expected_version=data["version"],
                status=data["status"],
                progress=data["progress"],
                comment=data["comment"],
                evidence=data["evidence"],
            )
        except MilestoneConflict as conflict:
            form = _conflict_form(request, MilestoneProgressForm, conflict)
            return _milestone_page(
                request, conflict.milestone, form=form, conflict=conflict, status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is updated."))
            return redirect("partners:milestone_detail", pk=milestone.pk)
    return _milestone_page(request, milestone, form=form, status=400)


@login_required
@require_POST
def milestone_confirm_view(request, pk):
    user = request.user
    milestone = selectors.milestone_for_user_or_404(user, pk)
    require(milestone_can_confirm(access_for(user), milestone))
    form = MilestoneConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; please try again."))
        return redirect("partners:milestone_detail", pk=milestone.pk)
    try:
        milestone_confirm(
            milestone=milestone, actor=user, expected_version=form.cleaned_data["version"]
        )
    except MilestoneConflict as conflict:
        return _milestone_page(request, conflict.milestone, conflict=conflict, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The milestone is confirmed."))
    return redirect("partners:milestone_detail", pk=milestone.pk)


@login_required
@require_POST
def milestone_reopen_view(request, pk):
    user = request.user
    milestone = selectors.milestone_for_user_or_404(user, pk)
    require(milestone_can_confirm(access_for(user), milestone))
    form = MilestoneReopenForm(request.POST)
    if form.is_valid():
        try:
            milestone_reopen(
                milestone=milestone,
                actor=user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except MilestoneConflict as conflict:
            form = _conflict_form(request, MilestoneReopenForm, conflict)
            return _milestone_page(
                request, conflict.milestone, reopen_form=form, conflict=conflict, status=409
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is reopened."))
            return redirect("partners:milestone_detail", pk=milestone.pk)
    return _milestone_page(request, milestone, reopen_form=form, status=400)


def _plan_fields(form):
    return {k: form.cleaned_data[k] for k in form.Meta.fields}


@login_required
def milestone_create_view(request, project_pk):
    user = request.user
    project = selectors.project_for_user_or_404(user, project_pk)
    require(milestone_can_manage(access_for(user), project))
    form = MilestoneForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = milestone_create(project=project, actor=user, **_plan_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect("partners:milestone_detail", pk=milestone.pk)
    return render(
        request,
        "partners/milestone_form.html",
        {"form": form, "project": project, "milestone": None},
        status=400 if form.errors else 200,
    )


@login_required
def milestone_edit_view(request, pk):
    user = request.user
    milestone = selectors.milestone_for_user_or_404(user, pk)
    require(milestone_can_manage(access_for(user), milestone.project))
    form = MilestoneForm(request.POST or None, instance=milestone, project=milestone.project)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            milestone_edit(
                milestone=milestone,
                actor=user,
                expected_version=form.cleaned_data["version"],
                **_plan_fields(form),
            )
        except MilestoneConflict as caught:
            conflict = caught
            form = _conflict_form(
                request, MilestoneForm, caught, instance=caught.milestone, project=milestone.project
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is saved."))
            return redirect("partners:milestone_detail", pk=milestone.pk)
    return render(
        request,
        "partners/milestone_form.html",
        {
            "form": form,
            "project": milestone.project,
            "milestone": milestone,
            "conflict": conflict,
            "conflict_history": selectors.describe_changes(conflict.updates) if conflict else [],
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@protected_download
@login_required
def evidence_download(request, pk):
    """Evidence is served only here, to people who may see its milestone."""
    update = selectors.milestone_update_for_user_or_404(request.user, pk)
    return stored_file_download(
        update.evidence, filename=update.evidence_name or update.evidence.name.rsplit("/", 1)[-1]
    )


# --- Agreements --------------------------------------------------------------------------------
@login_required
def agreement_detail(request, pk):
    agreement = selectors.agreement_for_user_or_404(request.user, pk)
    return _agreement_page(request, agreement)


def _agreement_page(request, agreement, *, status=200):
    user = request.user
    parties = selectors.agreement_parties(agreement)
    access = access_for(user)
    can_manage = agreement_can_manage(access, agreement.project)
    totals = {
        name: sum((getattr(p, name) for p in parties), Decimal(0))
        for name in ("contribution_hours", "contribution_money", "risk_share", "value_share")
    }
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "totals": totals,
            "versions": selectors.agreement_versions(user, agreement),
            "can_manage": can_manage,
            "can_confirm": agreement_can_confirm(access, agreement, parties),
            # What the reader's party commits to, summed up above the confirmation.
            "own_party": agreement_party_of(access, agreement, parties),
            "can_edit": agreement_can_edit(access, agreement),
            "can_version": agreement_can_version(access, agreement),
            "transitions": _transitions(agreement) if can_manage else [],
            "can_read_ledger": ledger_can_read(access_for(user)),
            # A partner user's own share of the IP income (``views_income_share``).
            "can_read_income_share": access.is_partner,
            "documents": selectors.agreement_documents(agreement),
            "can_add_documents": agreement_document_can_add(access, agreement),
            "change_history": agreement_history(agreement)
            if ledger_can_read(access_for(user))
            else None,
            # Sections of the apps above (the phases of an innovation partnership).
            "agreement_sections": agreement_page_sections(user, agreement),
        },
        status=status,
    )


TRANSITION_ACTIONS = {
    "propose": (Agreement.Status.PROPOSED, gettext_lazy("Propose to the partners")),
    "withdraw": (Agreement.Status.DRAFT, gettext_lazy("Return to draft")),
    "activate": (Agreement.Status.ACTIVE, gettext_lazy("Mark active")),
    "end": (Agreement.Status.ENDED, gettext_lazy("Mark ended")),
}


def _transitions(agreement):
    allowed = LEADER_TRANSITIONS[agreement.status]
    return [(action, label) for action, (to, label) in TRANSITION_ACTIONS.items() if to in allowed]


@login_required
@require_POST
def agreement_transition_view(request, pk):
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    require(agreement_can_manage(access_for(user), agreement.project))
    action = TRANSITION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("partners:agreement_detail", pk=agreement.pk)
    try:
        agreement_transition(agreement=agreement, actor=user, to_status=action[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement's status is changed."))
    return redirect("partners:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_confirm_view(request, pk):
    """Sign for one's party what the page showed: a changed agreement is refused (409)."""
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    # Partners sign for their organisation, who steers the project for the region (the service
    # finds the party); anyone else is refused before their input is looked at.
    require(agreement_party_of(access_for(user), agreement, agreement.parties.all()) is not None)
    form = AgreementConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(form.errors["may_sign"])
            if "may_sign" in form.errors and "revision" not in form.errors
            else _("The page was out of date. Reload it and try again."),
        )
        return _agreement_page(request, agreement, status=400)
    try:
        agreement_confirm(
            agreement=agreement, actor=user, expected_revision=form.cleaned_data["revision"]
        )
    except AgreementChanged as error:
        messages.error(request, " ".join(error.messages))
        return _agreement_page(request, agreement, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your party has confirmed the agreement."))
    return redirect("partners:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_new_version_view(request, pk):
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    require(agreement_can_manage(access_for(user), agreement.project))
    try:
        new = agreement_new_version(agreement=agreement, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partners:agreement_detail", pk=agreement.pk)
    messages.success(request, _("A new draft version is made; edit it and propose it."))
    return redirect("partners:agreement_edit", pk=new.pk)


def _party_choices(request, project) -> dict:
    """The partner organisations the agreement form offers (``partners.access``)."""
    return {
        "organisations": organisations_choosable_for_agreement(access_for(request.user), project)
    }


def _agreement_form_page(request, *, project, agreement, form, formset, status=200):
    return render(
        request,
        "partners/agreement_form.html",
        {"project": project, "agreement": agreement, "form": form, "formset": formset},
        status=status,
    )


@login_required
def agreement_create_view(request, project_pk):
    user = request.user
    project = selectors.project_for_user_or_404(user, project_pk)
    require(agreement_can_manage(access_for(user), project))
    initial = [{"organisation": None}]
    if request.method == "POST":
        form = AgreementForm(request.POST)
        formset = AgreementPartyFormSet(
            request.POST,
            prefix="parties",
            initial=initial,
            form_kwargs=_party_choices(request, project),
        )
        if form.is_valid() and formset.is_valid():
            fields = {k: form.cleaned_data[k] for k in AgreementForm.Meta.fields}
            try:
                agreement = agreement_create(
                    project=project, actor=user, parties=formset.parties(), **fields
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The agreement is saved as a draft."))
                return redirect("partners:agreement_detail", pk=agreement.pk)
        return _agreement_form_page(
            request, project=project, agreement=None, form=form, formset=formset, status=400
        )
    form = AgreementForm()
    formset = AgreementPartyFormSet(
        prefix="parties", initial=initial, form_kwargs=_party_choices(request, project)
    )
    return _agreement_form_page(
        request, project=project, agreement=None, form=form, formset=formset
    )


@login_required
def agreement_edit_view(request, pk):
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    require(agreement_can_manage(access_for(user), agreement.project))
    if agreement.is_frozen:
        messages.error(request, _("A signed agreement can only change through a new version."))
        return redirect("partners:agreement_detail", pk=agreement.pk)
    initial = [
        {name: getattr(party, name) for name in PARTY_FIELDS}
        for party in selectors.agreement_parties(agreement)
    ]
    if request.method == "POST":
        form = AgreementForm(request.POST, instance=agreement)
        formset = AgreementPartyFormSet(
            request.POST,
            prefix="parties",
            initial=initial,
            form_kwargs=_party_choices(request, agreement.project),
        )
        if form.is_valid() and formset.is_valid():
            fields = {k: form.cleaned_data[k] for k in AgreementForm.Meta.fields}
            was_proposed = agreement.status == Agreement.Status.PROPOSED
            try:
                agreement_edit(
                    agreement=agreement,
                    actor=user,
                    parties=formset.parties(),
                    expected_revision=form.cleaned_data["revision"],
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The agreement is saved and back in draft: propose it again.")
                    if was_proposed
                    else _("The agreement is saved."),
                )
                return redirect("partners:agreement_detail", pk=agreement.pk)
        return _agreement_form_page(
            request,
            project=agreement.project,
            agreement=agreement,
            form=form,
            formset=formset,
            status=400,
        )
    form = AgreementForm(instance=agreement)
    formset = AgreementPartyFormSet(
        prefix="parties", initial=initial, form_kwargs=_party_choices(request, agreement.project)
    )
    return _agreement_form_page(
        request, project=agreement.project, agreement=agreement, form=form, formset=formset
    )


# --- IP and income ledger (leaders) --------------------------------------------------------
@login_required
def agreement_ledger(request, pk):
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    if request.method == "GET" and access_for(user).is_partner:
        # A party's partner users read their own share of the income, nothing else of it.
        return redirect("partners:agreement_income_share", pk=agreement.pk)
    # Leaders read the ledger of every agreement they see; only who steers the project writes.
    require(ledger_can_read(access_for(user)))
    can_manage = agreement_can_manage(access_for(user), agreement.project)
    if request.method == "POST":
        require(can_manage)
    ip_form = IPItemForm()
    income_form = IncomeEntryForm(agreement=agreement)
    reinvest_form = ReinvestmentForm(user=user, agreement=agreement)
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "ip":
            ip_form = IPItemForm(request.POST)
            form, save = ip_form, lambda d: ip_item_create(agreement=agreement, actor=user, **d)
        elif which == "income":
            income_form = IncomeEntryForm(request.POST, agreement=agreement)
            form, save = (
                income_form,
                lambda d: income_entry_create(agreement=agreement, actor=user, **d),
            )
        elif which == "reinvest":
            reinvest_form = ReinvestmentForm(request.POST, user=user, agreement=agreement)
            form, save = reinvest_form, lambda d: reinvestment_create(actor=user, **d)
        else:
            form = save = None
        if form is not None and form.is_valid():
            try:
                save({k: form.cleaned_data[k] for k in form.Meta.fields})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved in the ledger."))
                return redirect("partners:agreement_ledger", pk=agreement.pk)
        status = 400
        if form is None:
            messages.error(request, _("Unknown form."))
    parties = selectors.agreement_parties(agreement)
    ip_items, lines = selectors.agreement_ledger(agreement, parties)
    replaced_by = agreement_replaced_by(agreement)
    return render(
        request,
        "partners/agreement_ledger.html",
        {
            "agreement": agreement,
            "parties": parties,
            "ip_items": ip_items,
            "lines": lines,
            "ip_form": ip_form,
            "income_form": income_form,
            "reinvest_form": reinvest_form,
            "replaced_by": replaced_by,
            "accepts_income": agreement.is_frozen and replaced_by is None,
            "can_manage": can_manage,
        },
        status=status,
    )


# --- Organisations (leaders) ---------------------------------------------------------------
@role_required(LEADER)
def organisation_list(request):
    return render(
        request,
        "partners/organisation_list.html",
        {"organisations": selectors.organisations_for_leader(request.user)},
    )


@role_required(LEADER)
def organisation_detail(request, pk):
    organisation = selectors.organisation_for_user_or_404(request.user, pk)
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "overview": selectors.organisation_overview(request.user, organisation),
            "engagement": engagement_for_organisation(request.user, organisation),
            "engagement_figures": engagement_figures(),
        },
    )


# --- Invitations ------------------------------------------------------------------------------
@role_required(LEADER)
def invitation_create(request):
    user = request.user
    form = PartnerInvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            invited = partner_invite(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is invited: the e-mail with a link to set a password is on its way.")
                % {"email": invited.email},
            )
            return redirect("partners:organisation_detail", pk=form.cleaned_data["organisation"].pk)
    return render(
        request,
        "partners/invitation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def invitation_accept(request, uidb64, token):
    """The one-time link: set a first password. A used, expired or broken link says so."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()), is_active=True)
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        user = None
    if (
        user is None
        or not user.is_partner
        or not invitation_token_generator.check_token(user, token)
    ):
        return render(request, "partners/invitation_invalid.html", status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner_accept_invitation(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Log in with your e-mail address."))
        return redirect("login")
    return render(
        request,
        "partners/invitation_accept.html",
        {"form": form, "invited": user, "now": timezone.now()},
        status=400 if form.errors else 200,
    )
