"""The board report's sections from the apps below insights (registered in
``InsightsConfig.ready()`` after the built-in ones): adoptions across clinics and scale-up
decisions (evidence), the benefits register's value per dimension (portfolio) and partner
engagement (partners, with the partnership app's contributions against the plan counted in its
figures). Each reads through the reader's ``visible_to`` sets and costs a fixed number of
queries whatever the data."""

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from evidence.models import Adoption, ScaleDecision
from evidence.selectors import adoptions_summary
from partners.engagement import (
    BLOCKED_MORE_THAN_DAYS,
    INACTIVE_DAYS,
    INVITATION_UNUSED_DAYS,
    engagement_summary,
)
from portfolio.selectors.benefits import benefits_summary

from .charts import bar_chart
from .sections import Figure, Money, ReportPeriod, Section


def adoptions_section(period: ReportPeriod) -> Section:
    """Adoptions of the leader's projects by status (today) and the scale-up decisions (in
    force) taken in the period, by outcome: two queries."""
    counts = adoptions_summary(period.user, period.projects)
    decisions = (
        ScaleDecision.objects.visible_to(period.user)
        .in_force()
        .filter(
            project__in=period.projects.values("pk"),
            decided_at__gte=period.start_at,
            decided_at__lt=period.end_before,
        )
        .aggregate(
            total=Count("pk"),
            **{value: Count("pk", filter=Q(outcome=value)) for value in ScaleDecision.Outcome},
        )
    )
    statuses = [(label, counts[value]) for value, label in Adoption.Status.choices]
    return Section(
        key="adoptions",
        title=_("Adoption across clinics"),
        figures=[
            Figure(_("Adoptions"), sum(counts.values())),
            Figure(_("Scale-up decisions in the period"), decisions["total"]),
            *(Figure(label, decisions[value]) for value, label in ScaleDecision.Outcome.choices),
        ],
        columns=[_("Status"), _("Adoptions today")],
        rows=[[label, count] for label, count in statuses],
        chart=bar_chart(
            _("Adoption across clinics"), [(label, count, "default") for label, count in statuses]
        ),
        note=_(
            "Adoptions by their status today; decisions taken in the period, corrected ones "
            "not counted."
        ),
    )


def benefits_section(period: ReportPeriod) -> Section:
    """The benefits register per dimension and currency: expected yearly value and realised
    yearly value by each benefit's latest review. Two queries."""
    rows = benefits_summary(period.user, period.projects.values("pk"))
    expected: dict[str, Decimal] = {}
    realised: dict[str, Decimal] = {}
    for row in rows:
        expected[row["currency"]] = expected.get(row["currency"], Decimal(0)) + row["expected"]
        realised[row["currency"]] = realised.get(row["currency"], Decimal(0)) + row["realised"]
    return Section(
        key="benefits",
        title=_("Benefits per dimension"),
        figures=[
            Figure(_("Benefits"), sum(row["benefits"] for row in rows)),
            Figure(_("Cash-releasing benefits"), sum(row["cash_releasing"] for row in rows)),
            *(
                Figure(_("Expected yearly value"), Money(amount, currency))
                for currency, amount in sorted(expected.items())
            ),
            *(
                Figure(_("Realised yearly value"), Money(amount, currency))
                for currency, amount in sorted(realised.items())
            ),
        ],
        columns=[
            _("Dimension"),
            _("Benefits"),
            _("Cash-releasing benefits"),
            _("Expected yearly value"),
            _("Realised yearly value"),
        ],
        rows=[
            [
                row["label"],
                row["benefits"],
                row["cash_releasing"],
                Money(row["expected"], row["currency"]),
                Money(row["realised"], row["currency"]),
            ]
            for row in rows
        ],
        note=_("Realised value is each benefit's latest review, per year."),
    )


def engagement_section(period: ReportPeriod) -> Section:
    """Partner engagement today and what needs action: the engagement rows (one query, one per
    registered figure) and the three needing-action lists (three queries)."""
    summary = engagement_summary(period.user, today=period.today)
    mean = summary["mean_days_to_first_activity"]
    needing = [
        (
            _("Partners with no activity for %(days)s days") % {"days": INACTIVE_DAYS},
            summary["inactive_partners"],
        ),
        (
            _("Invitations unused after %(days)s days") % {"days": INVITATION_UNUSED_DAYS},
            summary["unused_invitations"],
        ),
        (
            _("Milestones blocked for more than %(days)s days") % {"days": BLOCKED_MORE_THAN_DAYS},
            summary["blocked_milestones"],
        ),
    ]
    return Section(
        key="engagement",
        title=_("Partner engagement"),
        figures=[
            Figure(_("Partner organisations"), summary["organisations"]),
            Figure(_("Partners in projects"), summary["pairs"]),
            Figure(
                _("Mean days from invitation to first activity"),
                Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else "",
            ),
            Figure(
                _("Active in the last %(days)s days") % {"days": INACTIVE_DAYS},
                summary["active_recently"],
            ),
            Figure(_("Milestones on time"), summary["milestones_on_time"]),
            Figure(_("Milestones late"), summary["milestones_late"]),
        ],
        columns=[_("Needing action"), _("Count")],
        rows=[[label, count] for label, count in needing],
        note=_("Today, as the partner organisation pages and the dashboard count it."),
    )


LINKED = (
    (benefits_section, 42),
    (adoptions_section, 45),
    (engagement_section, 65),
)
