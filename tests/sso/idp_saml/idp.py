"""A real SAML 2.0 identity provider for the tests: pysaml2's ``Server`` behind a small WSGI app.

    python idp.py PORT   (configured through IDP_* environment variables)

It answers an AuthnRequest (HTTP-Redirect) with a login form, and a right password with a
signed Response posted to the service provider's assertion consumer service (HTTP-POST). Its
people come from a JSON file the tests write; a person's ``quirks`` make it misbehave on
purpose: ``expired`` (the assertion's validity ended ten minutes ago), ``tamper`` (an attribute
changed after signing), ``unsigned`` (neither the response nor the assertion signed). Their
``authn_context`` is the authentication context class it asserts.

IDP_BASE_URL         this provider's address as browsers see it (http://localhost:PORT)
IDP_KEY_FILE/CERT    its signing key and certificate (made by the tests)
IDP_USERS_FILE       the people
IDP_SP_METADATA_URLS the service providers' metadata addresses, space-separated (read per login)
"""

import html
import json
import os
import shutil
import sys
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
BASE_URL = os.environ.get("IDP_BASE_URL", "")


def _config(*, with_sps: bool, lifetime_minutes: int = 15) -> IdPConfig:
    conf = {
        "entityid": f"{BASE_URL}/metadata",
        "xmlsec_binary": shutil.which("xmlsec1"),
        "service": {
            "idp": {
                "name": "Test identity provider",
                "endpoints": {
                    "single_sign_on_service": [(f"{BASE_URL}/sso/redirect", BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(f"{BASE_URL}/slo/redirect", BINDING_HTTP_REDIRECT)],
                },
                "policy": {"default": {"lifetime": {"minutes": lifetime_minutes}}},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }
        },
        "key_file": os.environ["IDP_KEY_FILE"],
        "cert_file": os.environ["IDP_CERT_FILE"],
        "allow_unknown_attributes": True,
    }
    if with_sps:
        inline = []
        for url in os.environ.get("IDP_SP_METADATA_URLS", "").split():
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (test's own)
                inline.append(response.read().decode())
        conf["metadata"] = {"inline": inline}
    config = IdPConfig()
    config.load(conf)
    return config


def _people() -> dict:
    return json.loads(Path(os.environ["IDP_USERS_FILE"]).read_text())


def _page(body: str, status="200 OK"):
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Test SAML IdP</title></head><body>{body}</body></html>"
    )
    return status, [("Content-Type", "text/html; charset=utf-8")], document


def _login_form(saml_request: str, relay_state: str, error: str = ""):
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    return _page(
        "<h1>Test SAML identity provider</h1>"
        f"{alert}"
        '<form method="post" action="/sso/login">'
        f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<label for="u">SAML username</label> <input id="u" name="username">'
        '<label for="p">SAML password</label> <input id="p" name="password" type="password">'
        '<button type="submit">Sign in with SAML</button></form>'
    )


def _respond(form: dict):
    saml_request = form.get("SAMLRequest", "")
    relay_state = form.get("RelayState", "")
    person = _people().get(form.get("username", ""))
    if person is None or person["password"] != form.get("password"):
        return _login_form(saml_request, relay_state, "Wrong username or password.")
    quirks = person.get("quirks", [])
    server = Server(
        config=_config(with_sps=True, lifetime_minutes=-10 if "expired" in quirks else 15)
    )
    authn_request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
    response_args = server.response_args(authn_request.message, [BINDING_HTTP_POST])
    signed = "unsigned" not in quirks
    response = server.create_authn_response(
        identity=person["attributes"],
        userid=form["username"],
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["name_id"]),
        authn={"class_ref": person.get("authn_context", PASSWORD_CONTEXT)},
        sign_response=signed,
        sign_assertion=signed,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        **response_args,
    )
    response = str(response)
    if "tamper" in quirks:
        response = response.replace(person["tamper_from"], person["tamper_to"])
    info = server.apply_binding(
        BINDING_HTTP_POST,
        response,
        response_args["destination"],
        relay_state,
        response=True,
    )
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], info["data"]


def _logout(query: dict):
    """Single logout: end our (non-existent) session and answer the service provider."""
    server = Server(config=_config(with_sps=True))
    request = server.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
    response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
    destination = server.metadata.single_logout_service(
        request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
    )[0]["location"]
    info = server.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        query.get("RelayState", ""),
        response=True,
    )
    return "303 See Other", info["headers"], ""


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if path == "/metadata":
        metadata = create_metadata_string(None, config=_config(with_sps=False)).decode()
        status, headers, body = "200 OK", [("Content-Type", "text/xml")], metadata
    elif path == "/sso/redirect":
        status, headers, body = _login_form(query["SAMLRequest"], query.get("RelayState", ""))
    elif path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length).decode()
        form = {key: values[0] for key, values in parse_qs(raw).items()}
        status, headers, body = _respond(form)
    elif path == "/slo/redirect":
        status, headers, body = _logout(query)
    else:
        status, headers, body = _page("<h1>Not found</h1>", "404 Not Found")
    start_response(status, headers)
    return [body.encode()]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass


if __name__ == "__main__":
    port = int(sys.argv[1])
    with make_server(
        "127.0.0.1", port, application, server_class=_ThreadingServer, handler_class=_QuietHandler
    ) as httpd:
        print(f"serving on {port}", flush=True)
        httpd.serve_forever()
