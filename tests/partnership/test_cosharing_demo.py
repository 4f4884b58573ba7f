"""The demo's co-sharing: one rule per region whose measurements move the shares (below the
floor, between, beyond the ceiling), seeded once."""

import pytest
from django.core.management import call_command

from demo.seed_cosharing import seed_cosharing
from partnership.models import SharingResult, SharingRule

pytestmark = pytest.mark.django_db


def test_each_region_has_a_cosharing_agreement_with_moving_shares():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    rules = SharingRule.objects.select_related("agreement__project__lead_clinic__region")
    regions = {r.agreement.project.lead_clinic.region.slug for r in rules}
    assert regions == {"vasterbotten", "midtjylland"}
    for rule in rules:
        bands = list(rule.results.order_by("measured_on", "pk").values_list("band", flat=True))
        assert bands == ["below_floor", "between", "capped"]
    count = SharingResult.objects.count()

    assert seed_cosharing() == []
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    assert SharingResult.objects.count() == count
    assert SharingRule.objects.count() == 2
