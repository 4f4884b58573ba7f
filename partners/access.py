"""Who may do what with agreements, milestones, the IP ledger and partner organisations.

One named function per question, each taking the person's ``Access`` (``clinics.access``): the
pages, the API, admin actions and services ask them and never re-implement one. Reads are scoped
by the ``visible_to`` query sets (``partners.querysets``); these functions answer what a person
may *change* in what they can read. Steering comes from the portfolio's one rule,
``project_can_steer`` (leaders of the project's lead clinic, and superusers).
"""

from django.db.models import Q, QuerySet

from clinics.access import Access, access_for, clinics_led_by
from portfolio.access import project_can_steer
from portfolio.models import Project

from .models import Agreement, Milestone, PartnerOrganisation

S = Agreement.Status


# --- Agreements and the ledger -------------------------------------------------------------------
def agreement_can_manage(access: Access, project: Project) -> bool:
    """Create, edit, propose, version, confirm for the region, and write the IP and income
    ledger: who steers ``project``. A leader who sees a joint project only because one of their
    clinics takes part reads its agreements and ledger but writes none of them."""
    return project_can_steer(access, project)


def agreement_can_edit(access: Access, agreement: Agreement) -> bool:
    """Change the terms: while the agreement is a draft or proposed (a proposed one returns to
    draft); a signed one changes only through a new version."""
    return agreement_can_manage(access, agreement.project) and agreement.status in (
        S.DRAFT,
        S.PROPOSED,
    )


def agreement_can_version(access: Access, agreement: Agreement) -> bool:
    """Start a new version of a frozen agreement that has none yet."""
    return (
        agreement_can_manage(access, agreement.project)
        and agreement.is_frozen
        and not Agreement.objects.filter(previous_version=agreement).exists()
    )


def agreement_party_of(access: Access, agreement: Agreement, parties) -> object | None:
    """The party ``access`` signs for among ``parties``: a partner user's organisation, or the
    region for whoever steers the project; None for everyone else."""
    if access.is_partner:
        organisation_id = access.partner_organisation_id
        if organisation_id is None:
            return None
        return next((p for p in parties if p.organisation_id == organisation_id), None)
    if agreement_can_manage(access, agreement.project):
        return next((p for p in parties if p.organisation_id is None), None)
    return None


def agreement_can_confirm(access: Access, agreement: Agreement, parties) -> bool:
    """Sign for one's party a proposed agreement it has not confirmed yet."""
    party = agreement_party_of(access, agreement, parties)
    return agreement.status == S.PROPOSED and party is not None and party.confirmed_at is None


def agreement_document_can_add(access: Access, agreement: Agreement) -> bool:
    """Add a document to an agreement one reads: who steers its project, or a partner user of
    one of its parties (for this agreement only)."""
    if agreement_can_manage(access, agreement.project):
        return True
    organisation_id = access.partner_organisation_id if access.is_partner else None
    return (
        organisation_id is not None
        and agreement.parties.filter(organisation=organisation_id).exists()
    )


def agreement_document_can_delete(access: Access, agreement: Agreement, uploaded_by_id) -> bool:
    """Remove an agreement's document: the person who added it, or who steers the project."""
    return uploaded_by_id == access.user.pk or agreement_can_manage(access, agreement.project)


def ledger_can_read(access: Access) -> bool:
    """Leaders read the ledger and the audit trail of every agreement and milestone they can see
    (``visible_to``), those of a joint project they do not steer too. Partners never: their
    shares of income are on the agreement page."""
    return access.is_leader


def projects_steered_by(user) -> QuerySet[Project]:
    """Projects whose lead clinic ``user`` leads: where reinvested income may go."""
    return Project.objects.filter(lead_clinic__in=clinics_led_by(user))


# --- Milestones ----------------------------------------------------------------------------------
def milestone_can_manage(access: Access, project: Project) -> bool:
    """Plan (create, edit) the project's milestones: who steers it. Confirming and reopening
    narrow this further to the confirming leader (``milestone_can_confirm``)."""
    return project_can_steer(access, project)


def milestone_can_update(access: Access, milestone: Milestone) -> bool:
    """Report progress and status: who steers the project, and users of the responsible
    organisation. The caller has read ``milestone`` through ``Milestone.objects.visible_to``."""
    if access.is_leader:
        return project_can_steer(access, milestone.project)
    return (
        access.is_partner
        and milestone.responsible_party_id is not None
        and milestone.responsible_party_id == access.partner_organisation_id
    )


def milestone_confirming_leader(milestone: Milestone, known: Access | None = None):
    """Who confirms a milestone a partner marked done, or reopens it (the "responsible
    leader"): the milestone's responsible leader; if none is set (or they no longer lead the
    project's lead clinic), the project's owner while they do; None if neither, see
    ``milestone_can_confirm``. ``known`` is the reader's access, reused when the candidate is
    the reader (the usual case), so the page does not read their clinics twice."""
    project = milestone.project
    for candidate in (milestone.responsible_leader, project.owner):
        if candidate is None or not candidate.is_active or not candidate.is_leader:
            continue
        access = known if known is not None and known.user.pk == candidate.pk else None
        if project_can_steer(access or access_for(candidate), project):
            return candidate
    return None


def milestone_can_confirm(access: Access, milestone: Milestone) -> bool:
    """Confirm and reopen: the confirming leader only, not every leader who can see it.

    When nobody is named (no responsible leader, and the owner has left), a leader of the whole
    region of the project's lead clinic steps in rather than leave the milestone unconfirmable;
    a leader of single clinics does not, as the region-wide leader is the one answerable for
    projects nobody owns any longer. Superusers may always (``clinics.access``).
    """
    if access.is_superuser:
        return True
    if not access.is_leader or not project_can_steer(access, milestone.project):
        return False
    leader = milestone_confirming_leader(milestone, access)
    if leader is not None:
        return leader.pk == access.user.pk
    return access.leads_whole_region(milestone.project.lead_clinic.region_id)


# --- Partner organisations and invitations -------------------------------------------------------
def organisations_invitable_by(access: Access) -> QuerySet[PartnerOrganisation]:
    """Organisations a leader may add people to: those party to the agreement in force (or the
    draft being written) of a project they steer, so of their own region. Not every
    organisation they can see: a partner of a joint project the leader only follows, or one
    dropped from a newer version, is somebody else's to staff."""
    if not access.is_leader:
        return PartnerOrganisation.objects.none()
    current = Agreement.objects.filter(
        project__in=projects_steered_by(access.user)
    ).current_or_draft()
    return PartnerOrganisation.objects.filter(
        pk__in=PartnerOrganisation.objects.filter(agreement_parties__agreement__in=current).values(
            "pk"
        )
    )


def organisations_choosable_for_agreement(
    access: Access, project: Project
) -> QuerySet[PartnerOrganisation]:
    """The partner organisations a leader may put on an agreement of ``project``.

    ``PartnerOrganisation`` has no region, so "of the leader's region" means: organisations
    already party to an agreement (any version, any status) of a project whose lead clinic is
    in a region where the leader leads clinics, plus those already engaged on ``project``
    itself (a party to one of its agreements), plus organisations party to no agreement at all
    (new partners, registered in the admin: they belong to no region yet, and without them no
    leader could write a first agreement with a new partner). An organisation that works only
    with other regions is not offered. Superusers choose among all; others choose none.
    """
    if access.is_superuser:
        return PartnerOrganisation.objects.all()
    if not agreement_can_manage(access, project):
        return PartnerOrganisation.objects.none()
    regions = clinics_led_by(access.user).values("region_id")
    engaged = Agreement.objects.filter(project__lead_clinic__region__in=regions).values("pk")
    return PartnerOrganisation.objects.filter(
        pk__in=PartnerOrganisation.objects.filter(
            Q(agreement_parties__agreement__in=engaged)
            | Q(agreement_parties__agreement__project=project)
            | Q(agreement_parties__isnull=True)
        ).values("pk")
    )


def ledger_share_party(access: Access, agreement: Agreement, parties):
    """The party whose share of IP income a partner user reads on the agreement's share page:
    its own organisation's, and only when that organisation is party to this version; None
    for everyone else (the region's leaders read the whole ledger instead)."""
    if not access.is_partner:
        return None
    return agreement_party_of(access, agreement, parties)
