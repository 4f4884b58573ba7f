"""Demo discussions: a thread on an idea and on a project of every clinic, one of them
mentioning the demo staff user (so they have unread notifications), and a few notifications of
partners' actions for the demo leader. Idempotent: a thread that has comments is left alone.

Rows are written directly, backdated like the rest of the demo, rather than through the
services, which would also write an e-mail for every notification into the outbox.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Notification
from partners.models import Agreement, Milestone
from portfolio.models import Comment, Idea
from portfolio.selectors.comments import thread_url

TEXTS = {
    "sv": {
        "idea": [
            "Tack för idén! Vilka patientgrupper berörs mest?",
            "Främst äldre patienter med flera besök per år.\nJag kan ta fram siffror.",
            "Bra, ta med dem till nästa avstämning. @{staff}, kan du hjälpa till?",
        ],
        "project": [
            "Piloten är planerad till vecka 12. Behöver vi fler testpatienter?",
            "Vi har tio patienter som har tackat ja.",
            "Perfekt. Jag uppdaterar milstolpen när avtalet är bekräftat.",
        ],
    },
    "da": {
        "idea": [
            "Tak for idéen! Hvilke patientgrupper berøres mest?",
            "Især ældre patienter med mange besøg om året.\nJeg kan finde tal.",
            "Godt, tag dem med til næste møde.",
        ],
        "project": [
            "Piloten er planlagt til uge 12. Har vi brug for flere testpatienter?",
            "Vi har ti patienter, der har sagt ja.",
            "Perfekt. Jeg opdaterer milepælen, når aftalen er bekræftet.",
        ],
    },
}


def seed_discussion(seeder) -> None:
    staff = seeder.users["staff"]
    for clinic in seeder.clinics.values():
        language = clinic.region.language
        leader = seeder.leader_for(clinic)
        ideas = [
            idea
            for idea in seeder.ideas.values()
            if idea.clinic_id == clinic.pk and idea.status != Idea.Status.DRAFT
        ]
        # The demo staff user's own idea first: their thread has the mention.
        ideas.sort(key=lambda idea: (idea.submitter_id != staff.pk, idea.pk))
        if ideas:
            idea = ideas[0]
            texts = [text.format(staff=staff.username) for text in TEXTS[language]["idea"]]
            _thread(seeder, idea, [leader, idea.submitter, leader], texts)
            if idea.submitter_id == staff.pk:
                _mention(idea, leader, staff)
        projects = [p for p in seeder.projects.values() if p.lead_clinic_id == clinic.pk]
        if projects:
            project = min(projects, key=lambda p: p.pk)
            partner = _partner_of(project) or leader
            authors = [project.owner, partner, project.owner]
            _thread(seeder, project, authors, TEXTS[language]["project"])
    _partner_actions(seeder)


def _thread(seeder, target, authors, texts) -> None:
    if Comment.objects.of_thread(target).exists():
        return
    for number, (author, text) in enumerate(zip(authors, texts, strict=True)):
        comment = Comment(author=author, text=text, created_at=seeder.ago(3 - number))
        if isinstance(target, Idea):
            comment.idea = target
        else:
            comment.project = target
        comment.full_clean()
        comment.save()


def _partner_of(project):
    from clinics.models import User

    agreement = Agreement.objects.filter(project=project).current().first()
    if agreement is None:
        return None
    return (
        User.objects.filter(
            is_active=True,
            role=User.Role.PARTNER,
            partner_membership__organisation__agreement_parties__agreement=agreement,
        )
        .order_by("username")
        .first()
    )


def _notification(recipient, kind, message, url) -> None:
    """One in-app notification in the recipient's language, once."""
    with translation.override(recipient.language or "en"):
        text = str(message)
    Notification.objects.get_or_create(
        recipient=recipient, kind=kind, url=url, defaults={"message": text[:300]}
    )


def _mention(idea, leader, staff) -> None:
    comment = Comment.objects.of_thread(idea).filter(author=leader).last()
    _notification(
        staff,
        Notification.Kind.MENTION,
        format_lazy(
            _("{who} mentioned you in the discussion of “{title}”."),
            who=str(leader),
            title=idea.title,
        ),
        thread_url(idea, comment),
    )


def _partner_actions(seeder) -> None:
    """The demo leader's notifications of partners' actions on projects they steer."""
    leader = seeder.users["leader"]
    region = seeder.regions.get("vasterbotten") or leader.region
    milestones = Milestone.objects.filter(
        project__lead_clinic__region=region, responsible_party__isnull=False
    ).select_related("project", "responsible_party")
    kinds = {
        Milestone.Status.BLOCKED: (
            Notification.Kind.MILESTONE_BLOCKED,
            _("{who} marked the milestone “{title}” of {project} blocked."),
        ),
        Milestone.Status.IN_PROGRESS: (
            Notification.Kind.MILESTONE_UPDATED,
            _("{who} updated the milestone “{title}” of {project} ({progress} %)."),
        ),
    }
    for status, (kind, text) in kinds.items():
        if Notification.objects.filter(recipient=leader, kind=kind).exists():
            # Seeded before: later seeders (a no-go gate blocks milestones) may have changed
            # which milestone comes first, and seeding again must add nothing.
            continue
        milestone = milestones.filter(status=status).order_by("pk").first()
        if milestone is not None:
            _notification(
                leader,
                kind,
                format_lazy(
                    text,
                    who=str(milestone.responsible_party),
                    title=milestone.title,
                    project=milestone.project.title,
                    progress=milestone.progress,
                ),
                reverse("partners:milestone_detail", args=[milestone.pk]),
            )
    agreement = (
        Agreement.objects.filter(project__lead_clinic__region=region)
        .exclude(status=Agreement.Status.DRAFT)
        .prefetch_related("parties__organisation")
        .order_by("pk")
        .first()
    )
    if agreement is not None:
        organisation = next(
            (p.organisation for p in agreement.parties.all() if p.organisation_id), None
        )
        if organisation is not None:
            _notification(
                leader,
                Notification.Kind.AGREEMENT_CONFIRMED,
                format_lazy(
                    _("{who} confirmed the agreement “{title}” for {organisation}."),
                    who=str(organisation),
                    title=agreement.title,
                    organisation=str(organisation),
                ),
                reverse("partners:agreement_detail", args=[agreement.pk]),
            )
