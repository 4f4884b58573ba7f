"""How long ``seed_demo --scale N`` takes (``make bench``; never part of the timed suite)."""

import time

import pytest
from django.core.management import call_command

from demo.scale import IDEAS_PER_BATCH
from partners.models import Milestone
from portfolio.models import Idea, Project

pytestmark = pytest.mark.django_db


def test_bench_seed_demo_scale_10():
    started = time.perf_counter()
    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", "10", verbosity=0)
    seconds = time.perf_counter() - started

    print(
        f"\nseed_demo --scale 10: {seconds:.1f} s for {Idea.objects.count()} ideas, "
        f"{Project.objects.count()} projects, {Milestone.objects.count()} milestones"
    )
    assert Idea.objects.count() >= 9 * IDEAS_PER_BATCH  # the demo plus nine generated batches
