"""Real identity providers for the SSO tests, each its own process on 127.0.0.1.

The OpenID Connect provider is a small Django project with django-oidc-provider
(``idp_oidc/``); the SAML identity provider a WSGI app around pysaml2's ``Server``
(``idp_saml/``). Each starts once per test session; the people they know are a JSON file that
every test writes for itself (``write_people``).
"""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from clinics.models import User
from sso.models import ClaimMapping, IdentityProvider
from tests.e2e.conftest import browser_type_launch_args, log_in  # noqa: F401 (fixtures)

HERE = Path(__file__).resolve().parent
OIDC_SLUG = "vasterbotten-oidc"
SAML_SLUG = "vasterbotten-saml"
CLIENT_ID = "partnerskap"
CLIENT_SECRET = "test-client-secret-0123456789"  # noqa: S105
STAFF_GROUP = "partnerskap-staff"
LEADER_GROUP = "partnerskap-leaders"
IDUN_UNIT = "SE2321000222-IDUN"
BJURHOLM_UNIT = "SE2321000222-BJUR"
REFUSAL_CONTACT = "Ask the IT service desk of Region Västerbotten, 090-785 00 00."
MFA_CONTEXT = "http://schemas.microsoft.com/claims/multipleauthn"
# SAML attribute names as Entra ID sends them.
SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
SAML_GIVEN_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
SAML_SURNAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
SAML_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
SAML_UNIT = "urn:x-partnerskap:hsa-unit"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the identity provider stopped ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own test server)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def make_key_and_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed RSA key and certificate, made at test time (never committed)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class RunningIdP:
    def __init__(self, url: str, people_file: Path):
        self.url = url
        self.people_file = people_file

    def write_people(self, people: dict) -> None:
        self.people_file.write_text(json.dumps(people))


def _start(command, env, ready_url, log_file):
    process = subprocess.Popen(  # noqa: S603 (our own test server)
        command,
        env={**os.environ, **env},
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(ready_url, process)
    except Exception:
        process.terminate()
        raise
    return process


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def oidc_idp(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("idp_oidc")
    people = folder / "people.json"
    people.write_text("{}")
    port = free_port()
    env = {
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "IDP_USERS_FILE": str(people),
        "IDP_CLIENT_ID": CLIENT_ID,
        "IDP_CLIENT_SECRET": CLIENT_SECRET,
        "IDP_REDIRECT_URIS": f"{live_server.url}/sso/{OIDC_SLUG}/oidc/callback/",
        "IDP_POST_LOGOUT_URIS": f"{live_server.url}/login/",
    }
    url = f"http://127.0.0.1:{port}/openid"
    with open(folder / "server.log", "w") as log_file:
        process = _start(
            [sys.executable, str(HERE / "idp_oidc" / "serve.py"), str(port)],
            env,
            f"{url}/.well-known/openid-configuration",
            log_file,
        )
    idp = RunningIdP(url, people)
    idp.users_created = set()
    yield idp
    _stop(process)


@pytest.fixture(scope="session")
def saml_idp(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("idp_saml")
    people = folder / "people.json"
    people.write_text("{}")
    key_file, cert_file = make_key_and_certificate(folder, "idp")
    port = free_port()
    # "localhost" like the live server: the browser posts the answer within one site, as with
    # a production IdP over HTTPS where the request cookie is SameSite=None.
    url = f"http://localhost:{port}"
    env = {
        "IDP_BASE_URL": url,
        "IDP_KEY_FILE": str(key_file),
        "IDP_CERT_FILE": str(cert_file),
        "IDP_USERS_FILE": str(people),
        "IDP_SP_METADATA_URLS": f"{live_server.url}/sso/{SAML_SLUG}/saml/metadata/",
    }
    with open(folder / "server.log", "w") as log_file:
        process = _start(
            [sys.executable, str(HERE / "idp_saml" / "idp.py"), str(port)],
            env,
            f"http://127.0.0.1:{port}/metadata",
            log_file,
        )
    yield RunningIdP(url, people)
    _stop(process)


def add_mappings(provider, clinic, other_clinic):
    ClaimMapping.objects.create(provider=provider, kind="clinic", value=IDUN_UNIT, clinic=clinic)
    ClaimMapping.objects.create(
        provider=provider, kind="clinic", value=BJURHOLM_UNIT, clinic=other_clinic
    )
    ClaimMapping.objects.create(provider=provider, kind="role", value=STAFF_GROUP, role="staff")
    ClaimMapping.objects.create(
        provider=provider,
        kind="role",
        value=LEADER_GROUP,
        role="leader",
        leads_whole_region=True,
    )


@pytest.fixture
def oidc_provider(region, clinic, other_clinic):
    """Region Västerbotten's OpenID Connect provider, as configured in the admin."""
    provider = IdentityProvider.objects.create(
        region=region,
        slug=OIDC_SLUG,
        protocol="oidc",
        metadata_url="http://127.0.0.1:1/openid",  # the running IdP's, set by oidc_idp_provider
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        clinic_claim="hsa_unit",
        groups_claim="groups",
        two_factor_values="mfa",
        refusal_contact=REFUSAL_CONTACT,
    )
    add_mappings(provider, clinic, other_clinic)
    return provider


@pytest.fixture
def saml_provider(region, clinic, other_clinic):
    provider = IdentityProvider.objects.create(
        region=region,
        slug=SAML_SLUG,
        display_name="Region Västerbotten (SAML)",
        protocol="saml",
        metadata_url="http://127.0.0.1:1/metadata",
        subject_claim="",
        email_claim=SAML_EMAIL,
        email_verified_claim="",
        email_always_verified=True,
        first_name_claim=SAML_GIVEN_NAME,
        last_name_claim=SAML_SURNAME,
        clinic_claim=SAML_UNIT,
        groups_claim=SAML_GROUPS,
        two_factor_values=MFA_CONTEXT,
        refusal_contact=REFUSAL_CONTACT,
    )
    add_mappings(provider, clinic, other_clinic)
    return provider


def oidc_person(username, *, groups=(STAFF_GROUP,), unit=IDUN_UNIT, quirks=(), **claims):
    return {
        username: {
            "password": f"pw-{username}",
            "claims": {
                "given_name": "Anna",
                "family_name": "Berg",
                "email": f"{username}@regionvasterbotten.example",
                "email_verified": True,
                "hsa_unit": unit,
                "groups": list(groups),
                "amr": ["pwd"],
                **claims,
            },
            "quirks": list(quirks),
        }
    }


def saml_person(username, *, groups=(STAFF_GROUP,), unit=IDUN_UNIT, quirks=(), **extra):
    return {
        username: {
            "password": f"pw-{username}",
            "name_id": f"persistent-{username}",
            "attributes": {
                SAML_EMAIL: [f"{username}@regionvasterbotten.example"],
                SAML_GIVEN_NAME: [extra.pop("given_name", "Sven")],
                SAML_SURNAME: [extra.pop("surname", "Lind")],
                SAML_UNIT: [unit],
                SAML_GROUPS: list(groups),
            },
            "tamper_from": f"{username}@regionvasterbotten.example",
            "tamper_to": "mallory@regionvasterbotten.example",
            "quirks": list(quirks),
            **extra,
        }
    }


def sso_users():
    return User.objects.filter(external_identities__isnull=False)
