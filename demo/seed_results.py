"""Demo data of the public results page: a few published results per region (texts for
citizens, in the region's language, some with an English variant), and one draft that is not
public. Idempotent: a project that already has its publication is left as it is."""

from datetime import timedelta

from django.utils import timezone

from portfolio.models import Project
from results.models import Publication
from results.services.publications import publication_slug

# project title → (published days ago or None for a draft, public title, summary, what
# changed for patients, English summary, names of the indicators shown)
RESULTS = {
    "Digital triage av akuta tandbesvär": (
        40,
        "Snabbare hjälp vid akut tandvärk",
        "Patienter med akuta tandbesvär fyller i ett digitalt formulär i stället för att vänta "
        "i telefon. Kliniken ser direkt vem som behöver komma in samma dag.",
        "Kortare väntan i telefon och tid samma dag för dem som behöver det mest.",
        "Patients with acute dental pain fill in a digital form instead of waiting on the "
        "phone. The clinic sees at once who needs to come in the same day.",
        ["Väntetid i telefon", "Samtal per dag"],
    ),
    "Virtuellt vårdrum i Bjurholm": (
        120,
        "Vårdrum på distans i Bjurholm",
        "I ett virtuellt vårdrum på hälsocentralen möter patienter specialister i Umeå via "
        "video, med undersökningsutrustning på plats.",
        "Färre långa resor till sjukhuset för kontroller och bedömningar.",
        "",
        ["Resor till Umeå per månad"],
    ),
    "Hemmonitorering av patienter med KOL": (
        20,
        "Trygg uppföljning hemma vid KOL",
        "Patienter med KOL mäter syremättnad och puls hemma; sjuksköterskan följer värdena och "
        "hör av sig när något ändras.",
        "Färre akuta inläggningar och mer trygghet i vardagen.",
        "Patients with COPD measure oxygen saturation and pulse at home; a nurse follows the "
        "values and gets in touch when something changes.",
        ["Akuta inläggningar per patient och år", "Hembesök per vecka"],
    ),
    "Tidig varning för sepsis": (
        None,
        "Tidig varning för sepsis",
        "Utkast: inte publicerat.",
        "",
        "",
        [],
    ),
    "Videokonsultation i akutmodtagelsen": (
        30,
        "Speciallæge på video i akutmodtagelsen",
        "Om natten kan akutmodtagelsen få en speciallæges vurdering over video i stedet for at "
        "vente på, at bagvagten kommer ind.",
        "Patienterne bliver vurderet af en speciallæge hurtigere.",
        "At night the emergency department gets a specialist's assessment by video instead of "
        "waiting for the doctor on call to come in.",
        ["Tid til speciallægevurdering"],
    ),
    "Digital genoptræning efter hofteoperation": (
        10,
        "Genoptræning hjemme efter hofteoperation",
        "En app med videoøvelser hjælper patienter med at træne hjemme efter en hofteoperation.",
        "Flere gennemfører genoptræningen.",
        "",
        ["Andel der gennemfører genoptræning"],
    ),
}


def seed_results() -> None:
    now = timezone.now()
    projects = Project.objects.filter(title__in=RESULTS).select_related("owner")
    done = set(Publication.objects.values_list("project__title", flat=True))
    for project in projects.order_by("pk"):
        if project.title in done:
            continue
        days, title, summary, patient_change, summary_en, indicators = RESULTS[project.title]
        publication = Publication(
            project=project,
            slug=publication_slug(title, project.pk),
            title=title,
            summary=summary,
            summary_en=summary_en,
            patient_change=patient_change,
            is_published=days is not None,
            published_at=None if days is None else now - timedelta(days=days),
        )
        publication.full_clean()
        publication._history_user = project.owner
        publication.save()
        publication.indicators.set(project.value_indicators.filter(name__in=indicators))
