"""My account → API token: create, show once, revoke (a web page, not an API endpoint)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinics.security import two_factor_required

from . import services
from .authentication import REFUSALS, api_token_refusal
from .models import ApiToken


def _render(request, *, new_key=None, bad_action=False, status=200):
    user = request.user
    token = ApiToken.objects.filter(user=user).first()
    refusal = api_token_refusal(token) if token is not None and new_key is None else None
    return render(
        request,
        "api/token_detail.html",
        {
            "token": token,
            "new_key": new_key,
            "bad_action": bad_action,
            "refusal": REFUSALS.get(refusal),
            # A person who must use a second factor makes tokens only in a verified session
            # (the middleware ends any other session of theirs anyway).
            "may_create": user.is_verified() or not two_factor_required(user),
            "token_days": settings.API_TOKEN_DAYS,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            # Shown in this answer only: only the key's digest is stored.
            token = services.api_token_create(user=user, second_factor=user.is_verified())
            return _render(request, new_key=token.key)
        if action == "revoke":
            if services.api_token_revoke(user=user):
                messages.success(request, _("Your API token is revoked."))
            return redirect("api_token")
        return _render(request, bad_action=True, status=400)
    return _render(request)
