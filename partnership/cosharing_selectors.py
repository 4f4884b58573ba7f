"""Reads of co-sharing: through the ``visible_to`` sets (``partnership.cosharing_querysets``),
so a partner user gets its own party's terms and shares only."""

from django.db.models import Prefetch
from django.http import Http404

from clinics.models import User
from partners.models import Agreement

from .cosharing_steps import steps_text
from .models import SharingResult, SharingResultShare, SharingRule, SharingRuleParty


def sharing_rule_for_user_or_404(user: User, pk) -> SharingRule:
    try:
        return (
            SharingRule.objects.visible_to(user)
            .select_related("agreement__project", "indicator")
            .get(pk=pk)
        )
    except SharingRule.DoesNotExist as error:
        raise Http404 from error


def sharing_rules_of_agreement(user: User, agreement: Agreement) -> list[SharingRule]:
    """The agreement's rules, each with the parties' terms the reader may see
    (``visible_parties``), every kept result newest first (``ordered_results``) with the
    shares the reader may see (``visible_shares``), and the newest result's steps in words
    (``latest``, ``step_lines``). Four queries, whatever the number of rules and results."""
    shares = SharingResultShare.objects.visible_to(user).select_related("organisation")
    rules = list(
        SharingRule.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=SharingRuleParty.objects.visible_to(user).select_related("organisation"),
                to_attr="visible_parties",
            ),
            Prefetch(
                "results",
                queryset=SharingResult.objects.order_by("-measured_on", "-pk").prefetch_related(
                    Prefetch("shares", queryset=shares, to_attr="visible_shares")
                ),
                to_attr="ordered_results",
            ),
        )
        .order_by("indicator__name", "pk")
    )
    for rule in rules:
        rule.visible_parties.sort(key=lambda p: (p.organisation_id is not None, str(p)))
        for result in rule.ordered_results:
            result.visible_shares.sort(key=lambda s: (s.organisation_id is not None, str(s)))
        rule.latest = rule.ordered_results[0] if rule.ordered_results else None
        if rule.latest is not None:
            rule.latest.step_lines = steps_text(rule.latest.steps, rule.latest.currency)
            for share in rule.latest.visible_shares:
                share.step_lines = steps_text(share.steps, rule.latest.currency)
    return rules
