"""Who may change an innovation partnership's phases, targets, gate decisions and instalments.

One named function per question, each taking the person's ``Access`` and building on the
partners app's rules (``partners.access``): the region's side of the partnership is written by
whoever steers the project (``agreement_can_manage``, itself ``project_can_steer``). Partner
users write nothing here; what they read is ``partnership.querysets``.
"""

from clinics.access import Access
from partners.access import agreement_can_manage
from partners.models import Agreement

from .models import InterimTarget, Phase


def phase_can_manage(access: Access, agreement: Agreement) -> bool:
    """Plan phases, their budget ceilings and interim targets: who steers the project."""
    return agreement_can_manage(access, agreement.project)


def target_can_assess(access: Access, target: InterimTarget) -> bool:
    """Mark an interim target met or not met: who steers the project."""
    return phase_can_manage(access, target.phase.agreement)


def gate_can_decide(access: Access, phase: Phase) -> bool:
    """Take (or correct) a phase's gate decision: a leader who steers the project (superusers
    hold every leader's right)."""
    return access.is_leader and phase_can_manage(access, phase.agreement)


def instalment_can_manage(access: Access, phase: Phase) -> bool:
    """Plan instalments and move them (due, approved, paid, cancelled): who steers the
    project; the region pays."""
    return phase_can_manage(access, phase.agreement)


def money_of_every_partner_readable(access: Access) -> bool:
    """Every partner's ceilings, instalments and outcome notes: the region's side (leaders,
    superusers). A partner user reads its own only (``partnership.querysets``)."""
    return access.is_leader


def sharing_rule_can_manage(access: Access, agreement: Agreement) -> bool:
    """Name an agreement's sharing indicators and agree their co-sharing rules: a leader who
    steers the project (superusers hold every leader's right)."""
    return access.is_leader and agreement_can_manage(access, agreement.project)


def sharing_shares_of_every_party_readable(access: Access) -> bool:
    """Every party's co-sharing terms and computed shares: the region's side (leaders,
    superusers). A partner user reads its own party's only (``partnership.cosharing_querysets``)."""
    return access.is_leader


def progress_mode_can_choose(access: Access, project) -> bool:
    """Choose how the project's progress rolls up, and its milestones' weights: a leader who
    steers the project (superusers hold every leader's right)."""
    return access.is_leader and agreement_can_manage(access, project)


def target_can_edit(access: Access, target: InterimTarget) -> bool:
    """Change an interim target's description, date, performance level and links: who steers
    the project, while the target is not assessed (an assessment was made against them)."""
    return target.status == InterimTarget.Status.OPEN and phase_can_manage(
        access, target.phase.agreement
    )
