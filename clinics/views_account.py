"""My account: profile, two-factor login, password, and the download of one's personal data."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_otp import user_has_device

from .downloads import protected_download
from .forms import TwoFactorCodeForm
from .security import two_factor_required
from .selectors import clinics_led_by, personal_data_for


@login_required
def account_detail(request):
    user = request.user
    return render(
        request,
        "clinics/user_account.html",
        {
            "has_two_factor": user_has_device(user, confirmed=True),
            "two_factor_required": two_factor_required(user),
            "led_clinics": clinics_led_by(user).select_related("region"),
            "disable_form": TwoFactorCodeForm(),
        },
    )


@protected_download
@login_required
def personal_data_download(request):
    """Everything the system holds about the person asking, as a JSON file."""
    data = {
        "exported_at": timezone.now(),
        "system": "Partnerskap",
        **personal_data_for(user=request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"partnerskap-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
