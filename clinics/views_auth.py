"""Logging in: the password, then (where needed) the second factor; setting it up and off."""

import base64
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from . import services
from .forms import TwoFactorCodeForm
from .security import (
    client_ip,
    pending_login_finish,
    pending_login_start,
    pending_login_user,
    second_factor_failed,
    second_factor_locked_out,
    two_factor_required,
)

security_log = logging.getLogger("security")

NEW_RECOVERY_CODES_KEY = "two_factor_new_recovery_codes"
AFTER_SETUP_NEXT_KEY = "two_factor_next"


class LoginView(auth_views.LoginView):
    """Django's login, which answers alike for a wrong password and an unknown username.

    After the right password, someone with two-factor login (or whose role requires it) is
    sent on to the second step instead of being logged in.
    """

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        has_device = user_has_device(user, confirmed=True)
        if has_device or two_factor_required(user):
            pending_login_start(self.request, user, self.get_success_url())
            return redirect("two_factor_verify" if has_device else "account:two_factor_setup")
        return super().form_valid(form)


def _speak_the_language_of(request, user):
    """Half-way through the login the person is still anonymous: speak their language anyway
    (as UserLanguageMiddleware does once they are in), unless they chose one on the page."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


@never_cache
@sensitive_post_parameters("code")
def two_factor_verify(request):
    """Second step of the login: the code from the app, or a recovery code."""
    user = pending_login_user(request)
    if user is None:
        return redirect("login")
    _speak_the_language_of(request, user)
    if second_factor_locked_out(request, user):
        # Checked before the code: during a lockout even the right code does not get in.
        return lockout(request)
    form = TwoFactorCodeForm(
        request.POST or None, check=lambda code: services.two_factor_verify(user=user, code=code)
    )
    if request.method == "POST":
        if form.is_valid():
            return redirect(pending_login_finish(request, user, form.device))
        security_log.warning("second factor failed user_id=%s ip=%s", user.pk, client_ip(request))
        second_factor_failed(request, user)
    return render(request, "clinics/two_factor_verify.html", {"form": form})


def _qr_code_svg(data: str) -> str:
    """The QR code as inline SVG, drawn on the server: no script, no external image."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@never_cache
@sensitive_post_parameters("code")
def two_factor_setup(request):
    """Pair an authenticator app: QR code (and the key to type in), then one code to confirm.

    Reached logged in (from My account), or half-way through a login when the person's role
    requires two-factor login and they have not set it up yet.
    """
    if request.user.is_authenticated:
        user, pending = request.user, False
        if user_has_device(user, confirmed=True) and not user.is_verified():
            raise PermissionDenied
    else:
        user, pending = pending_login_user(request), True
        if user is None:
            return redirect("login")
        if user_has_device(user, confirmed=True):
            # A password alone must never pair a new phone: that would skip the second factor.
            return redirect("two_factor_verify")
        _speak_the_language_of(request, user)
    device = services.two_factor_setup_start(user=user)
    new_codes = []

    def confirm(code):
        codes = services.two_factor_setup_confirm(user=user, device=device, code=code)
        if codes is None:
            return None
        new_codes.extend(codes)
        device.refresh_from_db()
        return device

    form = TwoFactorCodeForm(request.POST or None, check=confirm, allow_recovery=False)
    if request.method == "POST" and form.is_valid():
        if pending:
            next_url = pending_login_finish(request, user, form.device)
        else:
            otp_login(request, form.device)
            next_url = None
        request.session[NEW_RECOVERY_CODES_KEY] = new_codes
        if next_url:
            request.session[AFTER_SETUP_NEXT_KEY] = next_url
        messages.success(request, _("Two-factor login is on."))
        return redirect("account:two_factor_recovery_codes")
    context = {
        "form": form,
        "qr_code": mark_safe(_qr_code_svg(device.config_url)),  # noqa: S308 (our own SVG)
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "pending": pending,
    }
    return render(request, "clinics/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_recovery_codes(request):
    """Recovery codes are shown once, right after they are made; POST makes new ones."""
    if request.method == "POST":
        if not request.user.is_verified():
            raise PermissionDenied
        codes = services.two_factor_recovery_codes_renew(user=request.user)
        request.session[NEW_RECOVERY_CODES_KEY] = codes
        return redirect("account:two_factor_recovery_codes")
    codes = request.session.pop(NEW_RECOVERY_CODES_KEY, None)
    next_url = request.session.pop(AFTER_SETUP_NEXT_KEY, None)
    return render(
        request,
        "clinics/two_factor_recovery_codes.html",
        {"codes": codes, "next_url": next_url, "has_two_factor": request.user.is_verified()},
    )


@require_POST
@login_required
@sensitive_post_parameters("code")
def two_factor_disable(request):
    """Turn two-factor login off, for roles that may go without it; a current code proves it."""
    user = request.user
    if two_factor_required(user) or not user.is_verified():
        raise PermissionDenied
    if second_factor_locked_out(request, user):
        return lockout(request)
    form = TwoFactorCodeForm(
        request.POST, check=lambda code: services.two_factor_verify(user=user, code=code)
    )
    if form.is_valid():
        services.two_factor_disable(user=user)
        messages.success(request, _("Two-factor login is off."))
    else:
        # Wrong codes here count like those of the login (django-otp's throttle is off).
        second_factor_failed(request, user)
        messages.error(request, _("Two-factor login stays on: the code was not right."))
    return redirect("account:detail")


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): one page for all.

    It names no username and reads the same whether the account exists or not.
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)
