"""The progress roll-up (``partnership.progress``): each mode against hand-computed values,
missing progress counted, never silently 0 or 100."""

from datetime import UTC, datetime

import pytest

from partners.models import Milestone
from partnership.models import InterimTarget, MilestoneWeight, Phase, ProgressSetting
from partnership.progress import (
    phases_with_progress,
    portfolio_progress,
    project_progress,
)
from portfolio.models import Project
from tests.partners.factories import MilestoneFactory

from .factories import phase_with_budgets, target_of

pytestmark = pytest.mark.django_db
S = Milestone.Status
ASSESSED = datetime(2026, 3, 1, tzinfo=UTC)


def _milestone(project, progress, status=S.IN_PROGRESS, weight=None):
    milestone = MilestoneFactory(project=project, progress=progress, status=status)
    if weight:
        MilestoneWeight.objects.create(milestone=milestone, weight=weight)
    return milestone


@pytest.fixture
def world(project, partnership_agreement, partner_organisation, co_partner_organisation):
    """Two phases. Milestones: m1 40 % weight 3, m2 done weight 1, m3 planned at 0 (missing),
    m4 blocked at 10 %. Phase 1 (ceilings 10000 + 20000 = 30000): target a linked to m1, m2
    (open); target b met; target c linked to m3 only (open: missing). Phase 2 (ceiling 10000):
    target d not met; target e with no milestones (missing)."""
    m1 = _milestone(project, 40, weight=3)
    m2 = _milestone(project, 100, status=S.DONE)
    m3 = _milestone(project, 0, status=S.PLANNED)
    _milestone(project, 10, status=S.BLOCKED)
    p1 = phase_with_budgets(
        partnership_agreement,
        ceilings={partner_organisation: "10000", co_partner_organisation: "20000"},
    )
    p2 = phase_with_budgets(
        partnership_agreement, number=2, name="Pilot", ceilings={partner_organisation: "10000"}
    )
    a = target_of(p1, description="a")
    a.milestones.set([m1, m2])
    target_of(p1, description="b", status=InterimTarget.Status.MET, assessed_at=ASSESSED)
    c = target_of(p1, description="c")
    c.milestones.set([m3])
    target_of(p2, description="d", status=InterimTarget.Status.NOT_MET, assessed_at=ASSESSED)
    target_of(p2, description="e")
    return {"p1": p1, "p2": p2}


def _mode(project, mode):
    ProgressSetting.objects.create(project=project, mode=mode)


def test_by_milestone_weight_counts_unreported_milestones_as_missing(project, world):
    # Reported: m1 40×3, m2 100×1, m4 10×1 → (120 + 100 + 10) / 5 = 46.
    progress = project_progress(project)
    assert progress.mode == "milestones"
    assert progress.value == pytest.approx(46.0)
    assert (progress.missing, progress.total) == (1, 4)


def test_by_interim_target(project, world):
    # a: (40×3 + 100) / 4 = 55; b met 100; c missing; d not met 0; e missing.
    _mode(project, "targets")
    progress = project_progress(project)
    assert progress.value == pytest.approx((55 + 100 + 0) / 3)
    assert (progress.missing, progress.total) == (2, 5)


def test_by_phase_budget(project, world):
    # Phase 1: mean(55, 100) = 77.5, budget 30000; phase 2: mean(0) = 0, budget 10000.
    _mode(project, "phase_budget")
    progress = project_progress(project)
    assert progress.value == pytest.approx((77.5 * 30000 + 0) / 40000)
    assert (progress.missing, progress.total) == (0, 2)


def test_a_phase_without_targets_or_budget_is_missing(project, world, partnership_agreement):
    _mode(project, "phase_budget")
    phase_with_budgets(partnership_agreement, number=3, name="Scale")
    progress = project_progress(project)
    assert (progress.missing, progress.total) == (1, 3)
    assert progress.value == pytest.approx(58.125)


def test_per_phase_values_follow_the_mode(project, world):
    rows = {p.number: p for p in phases_with_progress(Phase.objects.all())}
    # By milestone weight: phase 1 has m1, m2 (m3 missing); phase 2 has none.
    assert rows[1].progress_value == pytest.approx(55.0)
    assert (rows[1].progress_missing, rows[1].progress_total) == (1, 3)
    assert rows[2].progress_value is None
    assert (rows[2].progress_missing, rows[2].progress_total) == (0, 0)
    _mode(project, "targets")
    rows = {p.number: p for p in phases_with_progress(Phase.objects.all())}
    assert rows[1].progress_value == pytest.approx(77.5)
    assert (rows[1].progress_missing, rows[1].progress_total) == (1, 3)
    assert rows[2].progress_value == pytest.approx(0.0)
    assert (rows[2].progress_missing, rows[2].progress_total) == (1, 2)


def test_nothing_reported_is_none_not_zero(project):
    _milestone(project, 0, status=S.PLANNED)
    progress = project_progress(project)
    assert progress.value is None
    assert (progress.missing, progress.total) == (1, 1)


def test_portfolio_is_the_mean_of_projects_with_a_value(project, world):
    other = Project.objects.create(
        title="Empty", lead_clinic=project.lead_clinic, owner=project.owner
    )
    result = portfolio_progress(Project.objects.filter(pk__in=[project.pk, other.pk]))
    assert result.value == pytest.approx(46.0)
    assert (result.missing, result.total) == (1, 2)
