from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import ClaimMapping, ExternalIdentity, IdentityProvider


class ClaimMappingInline(admin.TabularInline):
    model = ClaimMapping
    extra = 1
    fields = ["kind", "value", "clinic", "role", "leads_whole_region"]
    raw_id_fields = ["clinic"]


class IdentityProviderForm(forms.ModelForm):
    class Meta:
        model = IdentityProvider
        fields = "__all__"  # noqa: DJ007 (every field is configuration an administrator sets)
        widgets = {"client_secret": forms.PasswordInput(render_value=True)}


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["__str__", "region", "protocol", "enabled", "slug"]
    list_filter = ["protocol", "enabled", "region"]
    search_fields = ["slug", "display_name", "region__name"]
    inlines = [ClaimMappingInline]
    readonly_fields = ["addresses"]
    fieldsets = (
        (None, {"fields": ["region", "slug", "display_name", "protocol", "enabled", "addresses"]}),
        (
            _("The provider"),
            {
                "fields": [
                    "metadata_url",
                    "metadata_xml",
                    "idp_entity_id",
                    "client_id",
                    "client_secret",
                    "client_secret_env",
                    "scopes",
                ]
            },
        ),
        (
            _("Claims"),
            {
                "fields": [
                    "subject_claim",
                    "email_claim",
                    "email_verified_claim",
                    "email_always_verified",
                    "first_name_claim",
                    "last_name_claim",
                    "clinic_claim",
                    "groups_claim",
                    "two_factor_values",
                ]
            },
        ),
        (_("Refusals"), {"fields": ["refusal_contact"]}),
    )

    @admin.display(description=_("register these addresses with the provider"))
    def addresses(self, provider):
        if not provider.pk:
            return _("Shown once saved.")
        site = settings.SITE_URL.rstrip("/")
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            rows = [
                (_("Redirect URI"), site + reverse("sso:oidc_callback", args=[provider.slug])),
                (_("Post-logout redirect URI"), site + reverse("login")),
            ]
        else:
            rows = [
                (
                    _("Entity id and metadata"),
                    site + reverse("sso:saml_metadata", args=[provider.slug]),
                ),
                (
                    _("Assertion consumer service"),
                    site + reverse("sso:saml_acs", args=[provider.slug]),
                ),
                (_("Single logout service"), site + reverse("sso:saml_sls", args=[provider.slug])),
            ]
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Who each provider's subject is. Add one by hand to join an existing account to a
    provider whose e-mail addresses are not verified."""

    list_display = ["subject", "provider", "user", "last_login_at"]
    list_filter = ["provider"]
    search_fields = ["subject", "user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_login_at"]
