"""Demo data of the region administration: one region administrator per region (an innovation
leader of the whole region whose scope ``administers_region``), a theme of each region's own
with a name per language, the shared themes' names in every language, and which region keeps
each demo partner organisation."""

from django.contrib.auth.password_validation import validate_password

from clinics.models import LeaderScope, Region, User
from partners.models import PartnerOrganisation
from portfolio.models import Theme

from . import content

# username, first name, last name, region slug
REGION_ADMINISTRATORS = [
    ("regionadmin", "Eva", "Forsberg", "vasterbotten"),
    ("regionadmin_dk", "Jens", "Mortensen", "midtjylland"),
]

# region slug → slug, sv, da, en of a theme of the region's own
REGION_THEMES = {
    "vasterbotten": ("vasterbotten-egenvard", "Egenvård", "Egenomsorg", "Self-care"),
    "midtjylland": (
        "midtjylland-naer-sundhed", "Nära vård", "Nære sundhedstilbud", "Care close to home"
    ),
}  # fmt: skip

# The Danish demo organisations are kept by Midtjylland, the others by Västerbotten.
DANISH_ORGANISATIONS = {
    "Sundhedsdata ApS",
    "Jysk Sundhedsforskning (demo)",
    "Patientforeningen Ryg og Led",
}

# The shared themes (content.THEMES) in Danish and English.
SHARED_THEME_NAMES = {
    "digitalisering-och-data": ("Digitalisering og data", "Digitalisation and data"),
    "patientsakerhet": ("Patientsikkerhed", "Patient safety"),
    "prevention": ("Forebyggelse og sundhedsfremme", "Prevention and health promotion"),
    "vard-pa-distans": ("Behandling på afstand", "Remote care"),
    "arbetsmiljo": ("Arbejdsmiljø", "Working environment"),
    "hallbarhet": ("Bæredygtighed", "Sustainability"),
}


def seed_region_admin() -> None:
    """Idempotent, like the rest of the seed (``get_or_create`` by natural keys)."""
    regions = {region.slug: region for region in Region.objects.all()}
    for username, first, last, region_slug in REGION_ADMINISTRATORS:
        region = regions[region_slug]
        person, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.partnerskap.example",
                "role": User.Role.LEADER,
                "region": region,
            },
        )
        if created:
            validate_password(content.DEMO_PASSWORD, person)
            person.set_password(content.DEMO_PASSWORD)
            person.full_clean()
            person.save()
        # Not update_or_create: a second run must write nothing (not even a history row).
        LeaderScope.objects.get_or_create(
            leader=person, region=region, clinic=None, defaults={"administers_region": True}
        )
    for region_slug, (slug, sv, da, en) in REGION_THEMES.items():
        region = regions[region_slug]
        Theme.objects.get_or_create(
            slug=slug,
            defaults={
                "region": region,
                "name": {"sv": sv, "da": da, "en": en}[region.language],
                "name_sv": sv,
                "name_da": da,
                "name_en": en,
            },
        )
    for organisation in PartnerOrganisation.objects.filter(region__isnull=True):
        slug = "midtjylland" if organisation.name in DANISH_ORGANISATIONS else "vasterbotten"
        organisation.region = regions[slug]
        organisation.save()
    for theme in Theme.objects.filter(slug__in=SHARED_THEME_NAMES, name_da=""):
        theme.name_sv = theme.name_sv or theme.name
        theme.name_da, theme.name_en = SHARED_THEME_NAMES[theme.slug]
        theme.save()
