"""A region administrator's themes: a name per language (sv, da, en), archived rather than
deleted (ideas and projects keep their themes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinics.models import Region, User
from core.concurrency import check_version
from portfolio.models import Theme

from .common import name_taken, record_actor, require_region_administrator, unique_slug

LANGUAGES = ("sv", "da", "en")


def _clean_names(*, region: Region, names: dict[str, str], exclude_pk: int | None) -> dict:
    """The names, trimmed; the one in the region's language is required (it is the theme's
    own name, shown where a language has none), and none may repeat another theme's name in
    the same language among the themes the region uses."""
    names = {language: (names.get(language) or "").strip() for language in LANGUAGES}
    errors = {}
    if not names[region.language]:
        errors[f"name_{region.language}"] = ValidationError(
            _("Give the theme's name in the region's language."), "required"
        )
    in_use = Theme.objects.filter(Q(region__isnull=True) | Q(region=region)).exclude(pk=exclude_pk)
    for language, name in names.items():
        if not name or f"name_{language}" in errors:
            continue
        fields = [f"name_{language}"] + (["name"] if language == region.language else [])
        if any(name_taken(in_use, field, name) for field in fields):
            errors[f"name_{language}"] = ValidationError(
                _("The region already has a theme of this name."), "unique"
            )
    if errors:
        raise ValidationError(errors)
    return names


@transaction.atomic
def theme_create(
    *, actor: User, region: Region, name_sv: str = "", name_da: str = "", name_en: str = ""
) -> Theme:
    require_region_administrator(actor, region)
    names = _clean_names(
        region=region, names={"sv": name_sv, "da": name_da, "en": name_en}, exclude_pk=None
    )
    own_name = names[region.language]
    theme = Theme(
        region=region,
        name=own_name,
        name_sv=names["sv"],
        name_da=names["da"],
        name_en=names["en"],
        slug=unique_slug(
            f"{region.slug}-{own_name}",
            taken=lambda slug: Theme.objects.filter(slug=slug).exists(),
            max_length=60,
        ),
    )
    theme.full_clean()
    record_actor(theme, actor)
    theme.save()
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    actor: User,
    expected_version: int | str | None,
    name_sv: str = "",
    name_da: str = "",
    name_en: str = "",
) -> Theme:
    """Rename a region's theme (its slug, which the API shows, stays)."""
    # No select_related: PostgreSQL locks no row of an outer join's nullable side (region).
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.region is None:
        raise ValidationError(_("A theme every region uses is changed by the administrators."))
    require_region_administrator(actor, theme.region_id)
    check_version(
        theme,
        expected_version,
        message=_("Someone else changed this theme meanwhile. Reload it and edit again."),
    )
    names = _clean_names(
        region=theme.region,
        names={"sv": name_sv, "da": name_da, "en": name_en},
        exclude_pk=theme.pk,
    )
    theme.name = names[theme.region.language]
    theme.name_sv, theme.name_da, theme.name_en = names["sv"], names["da"], names["en"]
    theme.full_clean()
    record_actor(theme, actor)
    theme.save()
    return theme


@transaction.atomic
def theme_set_active(*, theme: Theme, actor: User, active: bool) -> Theme:
    """Archive a theme (new ideas and filters no longer offer it) or bring it back."""
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.region_id is None:
        raise ValidationError(_("A theme every region uses is changed by the administrators."))
    require_region_administrator(actor, theme.region_id)
    if theme.is_active != active:
        theme.is_active = active
        record_actor(theme, actor)
        theme.save()
    return theme
