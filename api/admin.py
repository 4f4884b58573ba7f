"""The API app's admin: no token list at all.

rest_framework.authtoken registers an admin that lists every token's key. Keys are stored as
written (DRF's model), so that page would let anyone with admin access act as anyone with a
token. People create and revoke their own tokens on their account page; an administrator stops
a token by deactivating or erasing its owner (a deactivated owner's token is refused).
"""

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

# This app comes after rest_framework.authtoken in INSTALLED_APPS, so its admin is registered.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
