"""My account → API token: create, show once, revoke (a web page, not an API endpoint)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from . import services


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    user = request.user
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            # Shown in this answer only: the page never displays a key again.
            new_key = services.api_token_create(user=user).key
        elif action == "revoke":
            if services.api_token_revoke(user=user):
                messages.success(request, _("Your API token is revoked."))
            return redirect("api_token")
        else:
            return render(
                request,
                "api/token_detail.html",
                {"token": Token.objects.filter(user=user).first(), "bad_action": True},
                status=400,
            )
    return render(
        request,
        "api/token_detail.html",
        {"token": Token.objects.filter(user=user).first(), "new_key": new_key},
    )
