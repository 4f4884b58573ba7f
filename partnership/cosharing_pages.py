"""The co-sharing section of the agreement page (``partners.agreement_page``), registered in
``PartnershipConfig.ready()``: each rule, the newest computed shares with the arithmetic step
by step, and every kept result. Partner users see their own party's share only."""

from clinics.access import access_for
from clinics.models import User
from partners.models import Agreement

from .access import sharing_rule_can_manage, sharing_shares_of_every_party_readable
from .cosharing_selectors import sharing_rules_of_agreement


def agreement_page_cosharing(user: User, agreement: Agreement) -> dict | None:
    access = access_for(user)
    can_manage = sharing_rule_can_manage(access, agreement)
    rules = sharing_rules_of_agreement(user, agreement)
    if not rules and not can_manage:
        return None
    return {
        "template": "partnership/_agreement_cosharing.html",
        "sharing_rules": rules,
        "can_manage_sharing": can_manage,
        "sees_every_party": sharing_shares_of_every_party_readable(access),
    }
