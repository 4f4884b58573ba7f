"""Who reads which contribution: whoever reads the agreement reads its parties'
contributions, except that a partner user reads its own party's only (never another
partner's money, DOMAIN.md "Who sees what")."""

from django.db import models

from .querysets import _agreements_visible_to, own_organisation_id


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        rows = self.filter(party__agreement__in=_agreements_visible_to(user))
        if user.is_partner:
            organisation_id = own_organisation_id(user)
            if organisation_id is None:
                return self.none()
            return rows.filter(party__organisation=organisation_id)
        if not user.is_leader:
            # Clinic staff read no agreement, and so no contribution.
            return self.none()
        return rows

    def planned(self):
        return self.filter(record="planned")

    def actual(self):
        return self.filter(record="actual")
