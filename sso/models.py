"""Single sign-on: a region's identity providers, how their claims map to clinics and roles, and
which person each provider's subject is.

A provider speaks OpenID Connect or SAML 2.0; what it says about a person (its *claims*, SAML's
*attributes*) is read through the claim names configured here, so Entra ID's ``groups``,
Keycloak's ``roles`` and a SITHS IdP's HSA-id attributes all fit without code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager

from clinics.models import Clinic, Region, TimeStampedModel, User


class IdentityProviderQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


class IdentityProvider(TimeStampedModel):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="identity_providers",
        verbose_name=_("region"),
        help_text=_("People who log in here are created in this region."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Part of the addresses the provider sends people back to: keep it stable."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        blank=True,
        help_text=_("Shown as “Log in with …”; empty: the region's name."),
    )
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    metadata_url = models.URLField(
        _("issuer or metadata URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "OpenID Connect: the issuer (or its /.well-known/openid-configuration). "
            "SAML: the address of the identity provider's metadata."
        ),
    )
    metadata_xml = models.TextField(
        _("SAML metadata"),
        blank=True,
        help_text=_("SAML only: the identity provider's metadata, if it publishes no address."),
    )
    idp_entity_id = models.CharField(
        _("SAML identity provider entity id"),
        max_length=500,
        blank=True,
        help_text=_("SAML only, when the metadata describes several identity providers."),
    )
    client_id = models.CharField(_("client id"), max_length=255, blank=True)
    client_secret = models.CharField(
        _("client secret"),
        max_length=500,
        blank=True,
        help_text=_("Better: leave empty and name an environment variable below."),
    )
    client_secret_env = models.CharField(
        _("client secret environment variable"),
        max_length=100,
        blank=True,
        help_text=_("The name of the environment variable holding the client secret."),
    )
    scopes = models.CharField(_("scopes"), max_length=255, default="openid email profile")
    subject_claim = models.CharField(
        _("subject claim"),
        max_length=255,
        blank=True,
        help_text=_("Empty: OpenID Connect's sub, SAML's NameID. The person's lasting id."),
    )
    email_claim = models.CharField(_("e-mail claim"), max_length=255, default="email")
    email_verified_claim = models.CharField(
        _("e-mail verified claim"), max_length=255, blank=True, default="email_verified"
    )
    email_always_verified = models.BooleanField(
        _("the provider's e-mail addresses are verified"),
        default=False,
        help_text=_(
            "Tick only if the provider sends addresses from the organisation's own directory "
            "(Entra ID, ADFS): then an existing account with the address is linked."
        ),
    )
    first_name_claim = models.CharField(_("first name claim"), max_length=255, default="given_name")
    last_name_claim = models.CharField(_("last name claim"), max_length=255, default="family_name")
    clinic_claim = models.CharField(
        _("clinic claim"),
        max_length=255,
        blank=True,
        help_text=_("Carries the person's unit, e.g. an HSA-id or a unit code."),
    )
    groups_claim = models.CharField(
        _("groups claim"),
        max_length=255,
        default="groups",
        help_text=_("Carries the groups or roles that map to a role here."),
    )
    two_factor_values = models.CharField(
        _("values that mean two-factor"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Space-separated amr or acr values (OpenID Connect) or authentication contexts "
            "(SAML) that prove a second factor, e.g. “mfa” or "
            "“http://schemas.microsoft.com/claims/multipleauthn”."
        ),
    )
    refusal_contact = models.TextField(
        _("whom to ask"),
        blank=True,
        help_text=_("Shown to a person the mappings refuse: who can give them access."),
    )

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "display_name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(protocol="oidc") | (~Q(metadata_url="") & ~Q(client_id="")),
                name="identity_provider_oidc_complete",
                violation_error_message=_("OpenID Connect needs the issuer and a client id."),
            ),
            models.CheckConstraint(
                condition=~Q(protocol="saml") | ~Q(metadata_url="") | ~Q(metadata_xml=""),
                name="identity_provider_saml_complete",
                violation_error_message=_("SAML needs the metadata address or the metadata."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_protocol_display()})"

    @property
    def name(self) -> str:
        return self.display_name or self.region.name

    @property
    def two_factor_value_set(self) -> frozenset[str]:
        return frozenset(self.two_factor_values.split())


class ClaimMapping(TimeStampedModel):
    """One row of a provider's mapping table: a clinic claim's value to a clinic, or a group to a
    role. A person is let in only if some group gives them a role (and, unless a leader of the
    whole region, some value gives them a clinic)."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Clinic claim value → clinic")
        ROLE = "role", _("Group → role")

    class Role(models.TextChoices):
        # Partners log in with their password; administrators are made in the admin only, so
        # no identity provider can hand out the admin.
        STAFF = User.Role.STAFF.value, User.Role.STAFF.label
        LEADER = User.Role.LEADER.value, User.Role.LEADER.label

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("identity provider"),
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    value = models.CharField(_("claim value"), max_length=255)
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claim_mappings",
        verbose_name=_("clinic"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, blank=True)
    leads_whole_region = models.BooleanField(
        _("leads the whole region"),
        default=False,
        help_text=_("Leaders only: lead every clinic of the region, not only their own."),
    )

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("claim mapping")
        verbose_name_plural = _("claim mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kind", "value"], name="claim_mapping_unique_value"
            ),
            models.CheckConstraint(
                condition=(Q(kind="clinic") & Q(clinic__isnull=False) & Q(role=""))
                | (Q(kind="role") & Q(clinic__isnull=True) & ~Q(role="")),
                name="claim_mapping_target_matches_kind",
                violation_error_message=_(
                    "A clinic claim value maps to a clinic, a group to a role."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(leads_whole_region=True) | Q(role="leader"),
                name="claim_mapping_region_only_for_leaders",
                violation_error_message=_("Only a leader can lead the whole region."),
            ),
        ]

    def __str__(self):
        return f"{self.value} → {self.clinic or self.get_role_display()}"

    def clean(self):
        if self.clinic_id and self.provider_id and self.clinic.region_id != self.provider.region_id:
            raise ValidationError({"clinic": _("The clinic must belong to the provider's region.")})


class ExternalIdentity(TimeStampedModel):
    """Who a provider's subject is here: later logins find the person by it, not by e-mail
    (which changes)."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("identity provider"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "subject"]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="external_identity_one_per_provider"
            ),
        ]

    def __str__(self):
        return f"{self.provider.slug}: {self.subject}"


class IdentityProviderDeviceManager(DeviceManager):
    def devices_for_user(self, user, confirmed=None):
        # A provider's second factor is no device the person holds: it never makes the password
        # form ask for a code, nor shows as "two-factor on" on their account page. It only marks
        # an SSO session as verified (django-otp's is_verified), which is all the two-factor
        # middleware asks.
        return self.none()


class IdentityProviderDevice(Device):
    """Stands for the identity provider's own second factor in django-otp's terms."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("identity provider"),
    )

    objects = IdentityProviderDeviceManager()

    class Meta:
        verbose_name = _("identity provider's second factor")
        verbose_name_plural = _("identity providers' second factors")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider"], name="identity_provider_device_unique"
            ),
        ]

    def verify_token(self, token):
        return False
