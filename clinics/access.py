"""Who a person is to Partnerskap, computed once per request: the ground of every access rule.

Every question "may this person read or change this object" is one named function in the access
module of the object's domain (``portfolio.access``, ``partners.access``); those functions take
an ``Access``, never re-read what the person leads or belongs to, and never test roles by hand.
Reads are scoped by the ``visible_to`` query sets, which build on the same sets.

The rule for administrators, written once:

* A **superuser** is the region's administrator: everywhere a leader's right is asked for, a
  superuser has it for every region (reads everything, steers every project, confirms every
  milestone, manages every agreement, opens every leader page), on the site and in the admin.
  Pages that need a place the superuser does not have (the partner start page needs an
  organisation; the idea form needs a clinic) answer 403, as for any other role without it.
* A person with the **administrator role** who is not a superuser has only the Django admin,
  through the model permissions given to them there; on the site's pages they hold no role.

Rights come from ``role_required`` (pages) and the domain access functions (objects); both
answer through this module, so the rule above cannot drift between them.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Clinic, LeaderScope, User

# What ``Access.remember`` holds for the request being served (None outside a request).
_request_memo: ContextVar[dict | None] = ContextVar("partnerskap_request_memo", default=None)


@contextmanager
def request_scope():
    """One request's lifetime for ``Access.remember`` (``clinics.middleware``)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


# The roles a page may ask for. "leader" is granted to superusers as well (see above).
STAFF = User.Role.STAFF
LEADER = User.Role.LEADER
PARTNER = User.Role.PARTNER


@dataclass
class Access:
    """What one person leads or belongs to. Properties are computed on first use, once."""

    user: User

    def remember(self, key: str, compute, otherwise):
        """``compute()`` once per request for this person under ``key``; outside a request
        (a task, a shell, a test holding a user object across writes) ``otherwise``.

        For sets the apps above derive from their own models (the partner's projects,
        ``portfolio.querysets.partner_project_ids``), which clinics cannot import. Only a
        request is short enough to hold them: a task or a test may change an agreement and
        read again with the same user object, and must see the change.
        """
        memo = _request_memo.get()
        if memo is None or not self.is_authenticated:
            return otherwise
        memo_key = (self.user.pk, key)
        if memo_key not in memo:
            memo[memo_key] = compute()
        return memo[memo_key]

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated) and self.user.is_active

    @property
    def is_superuser(self) -> bool:
        return self.is_authenticated and self.user.is_superuser

    @property
    def is_leader(self) -> bool:
        """An innovation leader, or a superuser acting as the leader of every region."""
        return self.is_authenticated and (self.user.is_leader or self.user.is_superuser)

    @property
    def receives_digests(self) -> bool:
        """Status digests cover the clinics in a leader's scopes, so they go to people with the
        leader role; a superuser leads everything and gets none (nor their settings page)."""
        return self.is_authenticated and self.user.is_leader

    @property
    def is_staff(self) -> bool:
        """Clinic staff with a clinic (the idea pages need one)."""
        return self.is_authenticated and self.user.is_clinic_staff and bool(self.user.clinic_id)

    @property
    def is_partner(self) -> bool:
        return self.is_authenticated and self.user.is_partner

    def has_role(self, role: str) -> bool:
        return {STAFF: self.is_staff, LEADER: self.is_leader, PARTNER: self.is_partner}[role]

    @cached_property
    def _led_clinics_and_administered_regions(self) -> tuple[frozenset[int], frozenset[int]]:
        """The clinics this leader supports and the regions they administer, in one query
        (UNION ALL): every leader page reads the first, its person menu the second, and a
        page's query count must not grow by the menu's link."""
        if not self.is_leader:
            return frozenset(), frozenset()
        from django.db.models import BooleanField, Value

        from .models import Region

        clinics = (
            clinics_led_by(self.user)
            .order_by()
            .values_list("pk", Value(False, output_field=BooleanField()))
        )
        if self.is_superuser:
            regions = Region.objects.order_by()
            region_field = "pk"
        else:
            regions = LeaderScope.objects.filter(
                leader=self.user, clinic__isnull=True, administers_region=True
            ).order_by()
            region_field = "region_id"
        rows = clinics.union(
            regions.values_list(region_field, Value(True, output_field=BooleanField())), all=True
        )
        clinic_ids, region_ids = set(), set()
        for pk, is_region in rows:
            (region_ids if is_region else clinic_ids).add(pk)
        return frozenset(clinic_ids), frozenset(region_ids)

    @cached_property
    def led_clinic_ids(self) -> frozenset[int]:
        """The clinics this leader supports (whole regions and single clinics)."""
        return self._led_clinics_and_administered_regions[0]

    @cached_property
    def whole_region_ids(self) -> frozenset[int]:
        """Regions this leader leads as a whole (region-wide challenges, unowned milestones)."""
        if self.is_superuser:
            from .models import Region

            return frozenset(Region.objects.values_list("pk", flat=True))
        if not self.is_leader:
            return frozenset()
        return frozenset(
            LeaderScope.objects.filter(leader=self.user, clinic__isnull=True).values_list(
                "region_id", flat=True
            )
        )

    def leads_clinic(self, clinic_id: int | None) -> bool:
        if clinic_id is None or not self.is_leader:
            return False
        return self.is_superuser or clinic_id in self.led_clinic_ids

    def leads_whole_region(self, region_id: int | None) -> bool:
        if region_id is None or not self.is_leader:
            return False
        return self.is_superuser or region_id in self.whole_region_ids

    @property
    def administered_region_ids(self) -> frozenset[int]:
        """Regions this person administers on the site's region administration pages: those
        of their region-wide scopes flagged ``administers_region``; a superuser, every one."""
        return self._led_clinics_and_administered_regions[1]

    @cached_property
    def partner_organisation_id(self) -> int | None:
        """The partner user's organisation (none for other roles)."""
        if not self.is_partner:
            return None
        membership = getattr(self.user, "partner_membership", None)
        return membership.organisation_id if membership else None


def access_for(user) -> Access:
    """The person's ``Access``, made once per user object: once per request (the request's
    user) and once per task (the user it loads), so no page re-reads what a person leads."""
    cached = getattr(user, "_partnerskap_access", None)
    if cached is None:
        cached = Access(user)
        # AnonymousUser and the request's lazy user both take attributes.
        user._partnerskap_access = cached
    return cached


def clinics_led_by(user: User) -> QuerySet[Clinic]:
    """The clinics a leader supports, as a query set that nests as a subquery in the read rules.

    Whole regions and single clinics alike; a superuser leads every clinic (module docstring).
    """
    if not user.is_authenticated or not user.is_active:
        return Clinic.objects.none()
    if user.is_superuser:
        return Clinic.objects.all()
    if not user.is_leader:
        return Clinic.objects.none()
    # Two uncorrelated subqueries, no join and no DISTINCT: every visible_to() of a leader
    # nests this set, and PostgreSQL plans it as two small hashed lookups.
    from django.db.models import Q

    scopes = LeaderScope.objects.filter(leader=user)
    return Clinic.objects.filter(
        Q(region__in=scopes.filter(clinic__isnull=True).values("region"))
        | Q(pk__in=scopes.filter(clinic__isnull=False).values("clinic"))
    )


def region_can_administer(access: Access, region_id: int | None) -> bool:
    """May this person manage the region's clinics, support contacts, themes and leader scopes
    on the site's region administration pages? Its region administrators (a leader's
    region-wide scope with ``administers_region``) and superusers. Never another region's."""
    return region_id is not None and region_id in access.administered_region_ids


def role_required(*roles: str):
    """The one role gate of the site's pages: signed in (else to the login page) and holding
    one of ``roles`` (else 403). Object rules come after, from the domain's access module."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            access = access_for(request.user)
            if not any(access.has_role(role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require(allowed: bool) -> None:
    """Refuse with 403 an action the person may not take on an object they may read."""
    if not allowed:
        raise PermissionDenied


def require_or_404(allowed: bool) -> None:
    """Refuse with 404, as for a missing object, a page the person may not see or use: pages
    whose very existence (a draft, the region's figures, a form for others' data) is not theirs
    to learn answer like an unknown address."""
    if not allowed:
        raise Http404
