"""Who reads which co-sharing rule and computed result: the one read rule.

Whoever reads an agreement reads its sharing rules and the general part of each computed
result (the measured value, the improvement, where it fell). Each party's percentages and
money narrow for partner users: a partner reads its own party's terms and shares only, never
another partner's nor the region's (DOMAIN.md, "Who sees what").
"""

from django.db import models

from .querysets import _agreements_visible_to, own_organisation_id


class SharingRuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(agreement__in=_agreements_visible_to(user))


class _PartyRowQuerySet(models.QuerySet):
    """Rows of one party; a partner user reads only those of its own organisation."""

    agreement_path = ""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        rows = self.filter(**{f"{self.agreement_path}__in": _agreements_visible_to(user)})
        if user.is_partner:
            organisation_id = own_organisation_id(user)
            if organisation_id is None:
                return self.none()
            return rows.filter(organisation=organisation_id)
        return rows


class SharingRulePartyQuerySet(_PartyRowQuerySet):
    agreement_path = "rule__agreement"


class SharingResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(rule__agreement__in=_agreements_visible_to(user))


class SharingResultShareQuerySet(_PartyRowQuerySet):
    agreement_path = "result__rule__agreement"
