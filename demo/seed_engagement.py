"""Demo data of the benefits register and of partner engagement (issue 17), in each region:

- a completed project with benefits (cash-releasing and not, in different dimensions, with
  owners), a review recorded and the next review due within the week (the owner's digest and
  the register show it);
- a partner organisation whose members have been silent for more than 60 days on a running
  project, an invitation unused for more than 7 days and a milestone blocked for more than 14
  days: the leaders' "Partners needing action" on the dashboard, the organisation page and the
  digest;
- the demo partner users' invitation and first login, so their organisations' engagement table
  shows days from invitation to first activity.

Idempotent: rows are looked up by their natural key first and written once; dates count from
the seeding day (``DemoSeeder.today``/``ago``), so the demo stays "due soon" whenever seeded.
Written directly, like ``demo/seed.py`` (it recreates a past the services cannot express), with
``full_clean()`` on the main rows.
"""

from decimal import Decimal

from django.contrib.auth.password_validation import validate_password

from clinics.models import User
from partners.models import (
    Agreement,
    AgreementParty,
    Milestone,
    MilestoneUpdate,
    PartnerMembership,
)
from portfolio.models import Benefit, BenefitReview, Project, ValueIndicator

from . import content

D = ValueIndicator.Dimension
CURRENCIES = {region["slug"]: region["currency"] for region in content.REGIONS}

# The completed project of Region Midtjylland (Västerbotten's is in content.PROJECTS).
COMPLETED_DK = {
    "title": "Opkald dagen efter udskrivelse",
    "idea": None,
    "clinic": "godstrup-akut",
    "owner": "leader_dk",
    "stage": "completed",
    "health": "on_track",
    "days": 720,
    "ended": 45,
    "themes": ["prevention"],
    "summary": "Sygeplejersker ringer til ældre patienter dagen efter udskrivelse; "
    "arbejdsgangen er nu en del af driften.",
}

# project title → benefits: (title, dimension, cash-releasing, owner, expected per year,
# follow-up months, next review in days, reviews: (days ago, realised per year, note)).
BENEFITS = {
    "Hemmonitorering av patienter med KOL": [
        ("Färre akuta inläggningar", D.ECONOMY, True, "leader", "850000", 24, 5,
         [(30, "420000", "Halvårsuppföljning: 38 färre vårddygn än året före.")]),
        ("Frigjord sjukskötersketid", D.STAFF, False, "staff2", "310000", 12, 75,
         [(30, "260000", "Färre hembesök; tiden används till nya patienter.")]),
        ("Tryggare patienter i hemmet", D.PATIENT_QUALITY, False, "leader", "0", 12, 120, []),
    ],
    COMPLETED_DK["title"]: [
        ("Færre genindlæggelser", D.ECONOMY, True, "leader_dk", "600000", 24, 3,
         [(20, "250000", "Første kvartal: 12 færre genindlæggelser.")]),
        ("Kortere opkald til akutmodtagelsen", D.CARE_PATHWAY, False, "staff_dk", "150000", 12,
         90, []),
    ],
}  # fmt: skip

# Members of partner organisations: (username, first, last, organisation, invited days ago,
# first login days ago or None, last login days ago or None, region). A member who never
# logged in has no password yet: the invitation is unused.
MEMBERS = [
    # Silent for 75 days on "Tidig varning för sepsis" (pilot).
    ("lena.stiftelse", "Lena", "Åström", "Stiftelsen Innovation Norr", 260, 255, 75,
     "vasterbotten"),
    # Invited 10 days ago, never came.
    ("kommun.bjurholm", "Nils", "Berglund", "Bjurholms kommun", 10, None, None, "vasterbotten"),
    # Silent for 70 days on "Videokonsultation i akutmodtagelsen" (pilot).
    ("ryg.led", "Hanne", "Mikkelsen", "Patientforeningen Ryg og Led", 175, 170, 70,
     "midtjylland"),
    # Invited 9 days ago, never came.
    ("sundhedsdata.ny", "Jakob", "Holm", "Sundhedsdata ApS", 9, None, None, "midtjylland"),
]  # fmt: skip
# (organisation, project title) whose party dates from the agreement (not the seeding day),
# so the silence counts from long ago.
SILENT_PARTIES = [
    ("Stiftelsen Innovation Norr", "Tidig varning för sepsis"),
    ("Patientforeningen Ryg og Led", "Videokonsultation i akutmodtagelsen"),
]
# The demo partner users: invited (days ago) and first logged in (days ago).
DEMO_PARTNERS = {"partner": (320, 317), "partner2": (420, 412)}
# A milestone blocked for three weeks in Region Midtjylland (Västerbotten has its own in
# content.MILESTONES): project, title, responsible organisation, due (days), progress.
BLOCKED_DK = (
    "Videokonsultation i akutmodtagelsen",
    "Integration med journalsystemet",
    "Sundhedsdata ApS",
    -10,
    30,
)


def seed_engagement(seeder) -> None:
    seed_benefits(seeder)
    _seed_members(seeder)
    _seed_silent_parties(seeder)
    _seed_blocked_milestone(seeder)


# --- Benefits -------------------------------------------------------------------------------------
def seed_benefits(seeder) -> None:
    clinic = seeder.clinics[COMPLETED_DK["clinic"]]
    project = Project.objects.filter(lead_clinic=clinic, title=COMPLETED_DK["title"]).first()
    if project is None:
        project = seeder.create_project(clinic, COMPLETED_DK)
    seeder.projects[project.title] = project

    for title, rows in BENEFITS.items():
        project = seeder.projects.get(title)
        if project is None:
            continue
        currency = CURRENCIES[project.lead_clinic.region.slug]
        for name, dimension, cash, owner, expected, months, review_in, reviews in rows:
            if Benefit.objects.filter(project=project, title=name).exists():
                continue
            benefit = Benefit(
                project=project,
                title=name,
                dimension=dimension,
                cash_releasing=cash,
                owner=seeder.users[owner],
                expected_yearly_amount=Decimal(expected),
                currency=currency,
                follow_up_months=months,
                next_review_on=seeder.day(review_in),
            )
            benefit.full_clean()
            benefit._history_user = project.owner
            benefit.save()
            for days_ago, realised, note in reviews:
                review = BenefitReview(
                    benefit=benefit,
                    reviewed_on=seeder.day(-days_ago),
                    realised_yearly_amount=Decimal(realised),
                    note=note,
                    recorded_by=seeder.users[owner],
                    created_at=seeder.ago(days_ago),
                )
                review.full_clean()
                review.save()


# --- Partner engagement ---------------------------------------------------------------------------
def _seed_members(seeder) -> None:
    for username, first, last, organisation, invited, first_login, last_login, region in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.partnerskap.example",
                "role": User.Role.PARTNER,
                "region": seeder.regions[region],
            },
        )
        if not created:
            continue
        if first_login is None:
            user.set_unusable_password()
        else:
            validate_password(content.DEMO_PASSWORD, user)
            user.set_password(content.DEMO_PASSWORD)
            user.last_login = seeder.ago(last_login)
        user.full_clean()
        user.save()
        PartnerMembership.objects.create(
            user=user,
            organisation=seeder.organisations[organisation],
            invited_at=seeder.ago(invited),
            first_login_at=seeder.ago(first_login) if first_login is not None else None,
        )
    for username, (invited, first_login) in DEMO_PARTNERS.items():
        PartnerMembership.objects.filter(
            user=seeder.users[username], invited_at__isnull=True
        ).update(invited_at=seeder.ago(invited), first_login_at=seeder.ago(first_login))


def _seed_silent_parties(seeder) -> None:
    for organisation, title in SILENT_PARTIES:
        project = seeder.projects.get(title)
        if project is None:
            continue
        for agreement in Agreement.objects.filter(project=project).current_or_draft():
            AgreementParty.objects.filter(
                agreement=agreement,
                organisation=seeder.organisations[organisation],
                created_at__gt=agreement.created_at,
            ).update(created_at=agreement.created_at)


def _seed_blocked_milestone(seeder) -> None:
    title, name, organisation, due, progress = BLOCKED_DK
    project = seeder.projects.get(title)
    if project is None or Milestone.objects.filter(project=project, title=name).exists():
        return
    milestone = Milestone(
        project=project,
        title=name,
        responsible_party=seeder.organisations[organisation],
        responsible_leader=project.owner,
        due_on=seeder.day(due),
        status=Milestone.Status.BLOCKED,
        progress=progress,
        version=3,
        created_at=seeder.ago(90),
    )
    milestone.full_clean()
    milestone.save()
    Milestone.objects.filter(pk=milestone.pk).update(updated_at=seeder.ago(21))
    MilestoneUpdate.objects.bulk_create(
        [
            MilestoneUpdate(
                milestone=milestone,
                author=project.owner,
                kind=MilestoneUpdate.Kind.UPDATE,
                changes={"status": ["planned", "in_progress"], "progress": [0, progress]},
                comment="Arbejdet er i gang.",
                created_at=seeder.ago(50),
            ),
            MilestoneUpdate(
                milestone=milestone,
                author=project.owner,
                kind=MilestoneUpdate.Kind.UPDATE,
                changes={"status": ["in_progress", "blocked"]},
                comment="Venter på adgang til journalsystemets testmiljø.",
                created_at=seeder.ago(21),
            ),
        ]
    )
