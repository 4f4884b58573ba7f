"""Leaders' digest preferences, and the one-click unsubscribe link in every digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clinics.access import access_for, require
from portfolio.forms.digest import DigestPreferenceForm
from portfolio.models import DigestDelivery
from portfolio.services import digest_preferences as digest_services


@login_required
@require_http_methods(["GET", "POST"])
def digest_preferences(request):
    require(access_for(request.user).receives_digests)
    preference = digest_services.digest_preference_of(request.user)
    form = DigestPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        digest_services.digest_preference_update(leader=request.user, **form.cleaned_data)
        messages.success(request, _("Your digest settings are saved."))
        return redirect("portfolio:digest_preferences")
    deliveries = DigestDelivery.objects.filter(leader=request.user).only(
        "period_start", "period_end", "status", "sent_at", "leader_id"
    )[:5]
    return render(
        request,
        "portfolio/digestpreference_edit.html",
        {"form": form, "deliveries": deliveries},
    )


# The signed token is the credential, so no login; a mail client's RFC 8058 one-click POST
# carries no CSRF token. GET only asks (link scanners must not unsubscribe anyone).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    leader = digest_services.digest_leader_from_token(token)
    if leader is None:
        return render(request, "portfolio/digestpreference_unsubscribe_invalid.html", status=400)
    with translation.override(digest_services.digest_language(leader)):
        if request.method == "POST":
            digest_services.digest_unsubscribe(leader=leader)
            return render(request, "portfolio/digestpreference_unsubscribed.html")
        return render(request, "portfolio/digestpreference_unsubscribe.html", {"leader": leader})
