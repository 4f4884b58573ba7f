from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """created_at / updated_at for every model that people edit."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


class Region(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.SWEDISH,
        help_text=_("Default language for the region's users."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Stockholm")

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Clinic(TimeStampedModel):
    class Kind(models.TextChoices):
        DENTAL = "dental", _("Dental clinic")
        HOSPITAL_WARD = "hospital_ward", _("Hospital ward")
        HEALTH_CENTRE = "health_centre", _("Health centre")
        OUTPATIENT = "outpatient", _("Outpatient clinic")
        PSYCHIATRY = "psychiatry", _("Psychiatry")
        OTHER = "other", _("Other")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="clinics", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    innovation_clinic_since = models.DateField(
        _("innovation clinic since"),
        null=True,
        blank=True,
        help_text=_("When the unit joined the innovation programme; empty if it has not."),
    )
    # The weekly innovation time the clinic sets aside for its staff (Tandvårdskliniken Idun's
    # practice): the leaders' totals compare the hours recorded with it.
    allotted_innovation_hours_per_week = models.DecimalField(
        _("allotted innovation hours per week"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Hours a week the clinic sets aside for its staff's innovation work; empty if none."
        ),
    )
    # Optimistic lock for the region administration pages: the service that saves a clinic
    # bumps it (core.concurrency is a layer above, so this is a plain integer, as the
    # milestone's). The admin's saves do not move it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The audit trail (django-simple-history): who renamed a clinic, when.
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="clinic_unique_slug_in_region"),
            models.UniqueConstraint(fields=["region", "name"], name="clinic_unique_name_in_region"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_innovation_clinic(self):
        return self.innovation_clinic_since is not None


class SupportContact(TimeStampedModel):
    """Who helps with what: the help that must be visible, close to the clinic."""

    class Area(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        ADMINISTRATIVE = "administrative", _("Administrative")
        LEGAL_IP = "legal_ip", _("Legal and intellectual property")
        FUNDING = "funding", _("Funding")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="support_contacts", verbose_name=_("region")
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_contacts",
        verbose_name=_("clinic"),
        help_text=_("Empty for help offered to the whole region."),
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    how_to_reach = models.TextField(
        _("how to reach"), blank=True, help_text=_("Opening hours, drop-in, booking link ...")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("support contact")
        verbose_name_plural = _("support contacts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | ~Q(how_to_reach=""),
                name="support_contact_reachable",
                violation_error_message=_("Give at least one way to reach this contact."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_area_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.clinic_id and self.region_id and self.clinic.region_id != self.region_id:
            raise ValidationError({"clinic": _("The clinic must belong to the same region.")})


class User(AbstractUser):
    """Everyone who logs in. The role decides which pages a person has."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Clinic staff")
        LEADER = "leader", _("Innovation leader")
        PARTNER = "partner", _("Partner user")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.STAFF, db_index=True
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("clinic"),
        help_text=_("The clinic a staff member works at."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
        help_text=_("Home region: sets the default language and time zone."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: the region's language."),
    )
    notify_in_app = models.BooleanField(_("notifications in the app"), default=True)
    notify_by_email = models.BooleanField(_("notifications by e-mail"), default=True)
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an administrator erased this person's personal data."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(clinic__isnull=False),
                name="user_staff_has_clinic",
                violation_error_message=_("A clinic staff member must belong to a clinic."),
            ),
        ]

    def __str__(self):
        if self.erased_at is not None:
            # What they did stays in the portfolio, attributed to no one in particular.
            return str(_("Former user"))
        return self.get_full_name() or self.username

    @property
    def is_clinic_staff(self):
        return self.role == self.Role.STAFF

    @property
    def is_leader(self):
        return self.role == self.Role.LEADER

    @property
    def is_partner(self):
        return self.role == self.Role.PARTNER

    @property
    def language(self):
        """The language the person reads: their own choice, else their region's."""
        if self.preferred_language:
            return self.preferred_language
        if self.region_id:
            return self.region.language
        if self.clinic_id:
            return self.clinic.region.language
        return ""


class LeaderScope(TimeStampedModel):
    """An innovation leader's remit: a whole region (clinic empty) or one clinic of it."""

    leader = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="leader_scopes", verbose_name=_("leader")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="leader_scopes", verbose_name=_("region")
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="leader_scopes",
        verbose_name=_("clinic"),
        help_text=_("Empty: the leader supports every clinic of the region."),
    )
    # A region administrator manages the region's clinics, support contacts, themes and leader
    # scopes on the site's pages (clinics.access.region_can_administer). Only on a
    # region-wide scope, and only granted in the Django admin (never on the site's pages).
    administers_region = models.BooleanField(
        _("region administrator"),
        default=False,
        help_text=_("Manages the region's clinics, support contacts, themes and leader scopes."),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["region__name", "clinic__name"]
        verbose_name = _("leader scope")
        verbose_name_plural = _("leader scopes")
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "region"],
                condition=Q(clinic__isnull=True),
                name="leader_scope_unique_region_wide",
            ),
            models.UniqueConstraint(
                fields=["leader", "clinic"],
                condition=Q(clinic__isnull=False),
                name="leader_scope_unique_clinic",
            ),
            models.CheckConstraint(
                condition=Q(administers_region=False) | Q(clinic__isnull=True),
                name="leader_scope_administers_whole_region",
                violation_error_message=_(
                    "Only a scope over the whole region can administer the region."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.leader}: {self.clinic or self.region}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.clinic_id and self.region_id and self.clinic.region_id != self.region_id:
            raise ValidationError({"clinic": _("The clinic must belong to the same region.")})
