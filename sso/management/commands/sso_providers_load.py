"""Load the identity providers described by the SSO_PROVIDERS variable (JSON) into the database.

Run on every release after `migrate` when the providers are configured in the environment
rather than in the admin; providers are matched by slug, their mappings replaced.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sso.services import identity_providers_load


class Command(BaseCommand):
    help = "Create or update the identity providers described by SSO_PROVIDERS (JSON)."

    def handle(self, *args, **options):
        if not settings.SSO_PROVIDERS:
            self.stdout.write("SSO_PROVIDERS is empty: nothing to load.")
            return
        try:
            data = json.loads(settings.SSO_PROVIDERS)
            providers = identity_providers_load(data=data if isinstance(data, list) else [data])
        except (ValueError, TypeError, ValidationError) as error:
            raise CommandError(f"SSO_PROVIDERS: {error}") from error
        for provider in providers:
            self.stdout.write(
                f"{provider.slug}: {provider} with {provider.mappings.count()} mappings"
            )
