"""Who may plan, record, change and remove contributions, and who reads the state-aid
account. One named function per question, each taking the person's ``Access``."""

from datetime import timedelta

from django.utils import timezone

from clinics.access import Access
from partners.models import Agreement, AgreementParty

from .access import phase_can_manage
from .models_contributions import Contribution


def contribution_plan_can_edit(access: Access, agreement: Agreement) -> bool:
    """Plan each party's contributions: who steers the project (as phases and ceilings)."""
    return phase_can_manage(access, agreement)


def contribution_can_record(access: Access, party: AgreementParty) -> bool:
    """Record an actual contribution: who steers the project, for any party; a partner user,
    for its own organisation's party only."""
    if access.is_partner:
        return (
            party.organisation_id is not None
            and party.organisation_id == access.partner_organisation_id
        )
    return phase_can_manage(access, party.agreement)


def contribution_can_change(access: Access, contribution: Contribution) -> bool:
    """Change or remove an actual contribution: who steers the project, always; the person who
    recorded it, for ``Contribution.EDIT_DAYS`` after recording it (and a partner only while
    it is still its organisation's)."""
    if contribution.record != Contribution.Record.ACTUAL:
        return False
    if phase_can_manage(access, contribution.party.agreement):
        return True
    recent = timezone.now() - contribution.created_at <= timedelta(days=Contribution.EDIT_DAYS)
    return (
        contribution.recorded_by_id == access.user.pk
        and recent
        and contribution_can_record(access, contribution.party)
    )


def state_aid_account_can_read(access: Access) -> bool:
    """The state-aid account shows every party's money and advantage: the region's side only
    (leaders, superusers). A partner reads its own figures on the contributions page."""
    return access.is_leader
