"""Demo innovation partnerships: in each region one project runs an innovation partnership
with two partners through three phases (research done, prototype decided, pilot planned). At
the prototype gate the second partner is cut (no-go); instalments exist in every status.

Written through the partnership services, so the rules, effects and notifications are those
of the product. Seeded once per agreement (a second run changes nothing).
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinics.access import access_for
from partners.models import Agreement, AgreementParty, PartnerOrganisation
from partnership.models import Instalment, InterimTarget
from partnership.services.gates import PartnerOutcome, gate_decide
from partnership.services.instalments import instalment_create, instalment_transition
from partnership.services.phases import phase_create, target_assess, target_create
from portfolio.access import project_can_steer
from portfolio.models import Project

# region slug → (the partner who continues, the partner cut at the prototype gate, currency).
# The cut one is already a partner of the chosen project (in Västerbotten the demo partner
# user's organisation, so that login shows the no-go), so nobody gains a project here.
PARTNERSHIPS = {
    "vasterbotten": ("Norrlands universitet (demo)", "Nordlig Medicinteknik AB", "SEK"),
    "midtjylland": ("Jysk Sundhedsforskning (demo)", "Sundhedsdata ApS", "DKK"),
}
TEXT = {
    "sv": {
        "title": "Innovationspartnerskap",
        "phases": ["Forskning och utveckling", "Prototyp", "Pilot i vården"],
        "target": "{partner}: delresultat för fasen {phase} levererat",
        "level": "Godkänt av styrgruppen mot kravspecifikationen",
        "gate1": "Båda parter fortsätter till prototypfasen.",
        "gate2": "Prototypen från {kept} håller; {cut} når inte delmålet och avslutas.",
        "conditions": "Månatlig rapport till styrgruppen under piloten.",
    },
    "da": {
        "title": "Innovationspartnerskab",
        "phases": ["Forskning og udvikling", "Prototype", "Pilot i klinikken"],
        "target": "{partner}: delresultat for fasen {phase} leveret",
        "level": "Godkendt af styregruppen mod kravspecifikationen",
        "gate1": "Begge parter fortsætter til prototypefasen.",
        "gate2": "Prototypen fra {kept} holder; {cut} når ikke delmålet og afsluttes.",
        "conditions": "Månedlig rapport til styregruppen under piloten.",
    },
}


def _signed_agreement(project: Project, partners, title: str, actor) -> Agreement:
    agreement = Agreement.objects.create(
        project=project,
        title=title,
        created_by=actor,
        starts_on=timezone.localdate() - timedelta(days=240),
        ends_on=timezone.localdate() + timedelta(days=500),
    )
    shares = [Decimal("34"), Decimal("33"), Decimal("33")]
    for organisation, share in zip([None, *partners], shares, strict=True):
        AgreementParty.objects.create(
            agreement=agreement,
            organisation=organisation,
            risk_share=share,
            value_share=share,
            contribution_hours=Decimal("200"),
            confirmed_at=timezone.now(),
        )
    # The parties are written while a draft: the database refuses shares that do not sum.
    agreement.status = Agreement.Status.SIGNED
    agreement.signed_at = timezone.now()
    agreement.save()
    return agreement


def _project_of(region_slug: str, partner_name: str):
    """A running project of the region that ``partner_name`` is party to already (else any),
    and a leader who steers it."""
    projects = Project.objects.filter(
        lead_clinic__region__slug=region_slug, stage__in=Project.ACTIVE_STAGES
    ).select_related("owner", "lead_clinic")
    parties_of = projects.filter(
        pk__in=Agreement.objects.current()
        .filter(parties__organisation__name=partner_name)
        .values("project")
    )
    for project in [*parties_of.order_by("title"), *projects.order_by("title")]:
        owner = project.owner
        if owner is not None and project_can_steer(access_for(owner), project):
            return project, owner
    return None, None


def seed_partnerships(*, today=None) -> list[Agreement]:
    today = today or timezone.localdate()
    seeded = []
    for region_slug, (first, second, currency) in PARTNERSHIPS.items():
        project, leader = _project_of(region_slug, second)
        partners = list(PartnerOrganisation.objects.filter(name__in=[first, second]))
        partners.sort(key=lambda o: o.name != first)
        if project is None or len(partners) != 2:
            continue
        text = TEXT[project.lead_clinic.region.language]
        if Agreement.objects.filter(project=project, title=text["title"]).exists():
            continue
        agreement = _signed_agreement(project, partners, text["title"], leader)
        seeded.append(agreement)
        _seed_phases(agreement, partners, leader, currency, text, today)
    return seeded


def _seed_phases(agreement, partners, leader, currency, text, today):
    kept, cut = partners
    phases = []
    for index, name in enumerate(text["phases"]):
        start = today + timedelta(days=-240 + 150 * index)
        phases.append(
            phase_create(
                agreement=agreement,
                actor=leader,
                ceilings={kept.pk: Decimal(400_000 + 200_000 * index), cut.pk: Decimal(300_000)},
                name=name,
                starts_on=start,
                ends_on=start + timedelta(days=140),
                currency=currency,
            )
        )
    targets = {}
    for phase in phases:
        for organisation in partners:
            targets[phase.number, organisation.pk] = target_create(
                phase=phase,
                actor=leader,
                organisation=organisation,
                description=text["target"].format(partner=organisation.name, phase=phase.name),
                due_on=phase.ends_on - timedelta(days=14),
                performance_level=text["level"],
            )

    def pay(phase, organisation, amount, *steps):
        instalment = instalment_create(
            phase=phase,
            actor=leader,
            target=targets[phase.number, organisation.pk],
            organisation=organisation,
            amount=Decimal(amount),
            planned_on=phase.ends_on,
        )
        for status in steps:
            instalment = Instalment.objects.get(pk=instalment.pk)
            instalment_transition(
                instalment=instalment,
                actor=leader,
                expected_version=instalment.version,
                to_status=status,
            )

    def assess(phase, organisation, status):
        target = InterimTarget.objects.get(pk=targets[phase.number, organisation.pk].pk)
        target_assess(target=target, actor=leader, expected_version=target.version, status=status)

    S = Instalment.Status
    research, prototype, pilot = phases
    # Research: both met, both paid; go for both.
    for organisation in partners:
        assess(research, organisation, InterimTarget.Status.MET)
        pay(research, organisation, 150_000, S.DUE, S.APPROVED, S.PAID)
    gate_decide(
        phase=research,
        actor=leader,
        note=text["gate1"],
        outcomes={o.pk: PartnerOutcome(outcome="go") for o in partners},
    )
    # Prototype: the kept partner met its target (approved, and a second instalment due); the
    # other did not (its due and planned instalments are cancelled by the no-go).
    assess(prototype, kept, InterimTarget.Status.MET)
    assess(prototype, cut, InterimTarget.Status.NOT_MET)
    pay(prototype, kept, 200_000, S.DUE, S.APPROVED)
    pay(prototype, kept, 100_000, S.DUE)
    pay(prototype, cut, 120_000, S.DUE)
    pay(pilot, cut, 90_000)
    gate_decide(
        phase=prototype,
        actor=leader,
        note=text["gate2"].format(kept=kept.name, cut=cut.name),
        outcomes={
            kept.pk: PartnerOutcome(outcome="conditions", note=text["conditions"]),
            cut.pk: PartnerOutcome(outcome="no_go"),
        },
    )
    # Pilot: planned for the partner who continues.
    pay(pilot, kept, 250_000)
