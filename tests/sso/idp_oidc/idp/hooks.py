"""What the test provider says about a person: read from the users file at every login, so a
test can change it between two logins; and the misbehaviours a person's quirks ask for."""

import base64
import json
import time

from django.conf import settings


def _person(username):
    return json.loads(settings.USERS_FILE.read_text()).get(username, {})


def userinfo(claims, user):
    person_claims = _person(user.username).get("claims", {})
    for name in claims:
        if name in person_claims:
            claims[name] = person_claims[name]
    return claims


def id_token(id_token, user, token, request, **kwargs):
    person = _person(user.username)
    id_token.update(person.get("claims", {}))
    quirks = person.get("quirks", [])
    if "expired" in quirks:
        now = int(time.time())
        id_token.update({"iat": now - 7200, "exp": now - 3600, "auth_time": now - 7200})
    if "bad_nonce" in quirks:
        id_token["nonce"] = "a-nonce-this-client-never-sent"
    return id_token


class PeopleFileBackend:
    """Log in the people of the users file (a Django user is made for each on first use)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from django.contrib.auth.models import User

        person = _person(username or "")
        if not person or person.get("password") != password:
            return None
        user, _ = User.objects.get_or_create(username=username)
        return user

    def get_user(self, user_id):
        from django.contrib.auth.models import User

        return User.objects.filter(pk=user_id).first()


def _b64decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TamperIdTokenMiddleware:
    """For a person with the ``tamper`` quirk, change the ID token's payload after it was
    signed (a man in the middle would): the signature no longer matches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/openid/token") or response.status_code != 200:
            return response
        body = json.loads(response.content)
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(_b64decode(payload))
        from django.contrib.auth.models import User

        user = User.objects.filter(pk=claims["sub"]).first()
        if user is not None and "tamper" in _person(user.username).get("quirks", []):
            claims["groups"] = ["partnerskap-leaders"]
            payload = _b64encode(json.dumps(claims).encode())
            body["id_token"] = f"{header}.{payload}.{signature}"
            response.content = json.dumps(body).encode()
            response["Content-Length"] = str(len(response.content))
        return response
