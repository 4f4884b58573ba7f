"""Start the test OpenID Connect provider: migrate its own database, register Partnerskap as a
client, make the people of the users file, and serve on 127.0.0.1.

python serve.py PORT  (configured through IDP_* environment variables, see idp/settings.py)
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ["DJANGO_SETTINGS_MODULE"] = "idp.settings"


def main(port: str) -> None:
    import django

    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    if not RSAKey.objects.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
        RSAKey.objects.create(key=pem)
    client, _ = Client.objects.update_or_create(
        client_id=os.environ["IDP_CLIENT_ID"],
        defaults={
            "name": "Partnerskap",
            "client_type": "confidential",
            "client_secret": os.environ["IDP_CLIENT_SECRET"],
            "jwt_alg": "RS256",
            "require_consent": False,
            "reuse_consent": True,
            "_redirect_uris": os.environ["IDP_REDIRECT_URIS"].replace(" ", "\n"),
            "_post_logout_redirect_uris": os.environ["IDP_POST_LOGOUT_URIS"].replace(" ", "\n"),
        },
    )
    code, _ = ResponseType.objects.get_or_create(value="code")
    client.response_types.set([code])
    call_command(
        "runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True
    )


if __name__ == "__main__":
    main(sys.argv[1])
