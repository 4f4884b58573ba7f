"""Editing an interim target (steering leaders, while it is not assessed): 403 for readers who
may not, 409 with the current values when someone saved it meanwhile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.access import access_for, require
from core.forms import add_service_errors, form_has_error_code

from . import selectors
from .access import target_can_edit
from .forms import InterimTargetEditForm
from .models import InterimTarget
from .services.targets import TARGET_EDIT_FIELDS, target_edit


@login_required
def target_edit_view(request, pk):
    user = request.user
    target = selectors.target_for_user_or_404(user, pk)
    require(target_can_edit(access_for(user), target))
    phase = target.phase
    form = InterimTargetEditForm(
        request.POST if request.method == "POST" else None,
        instance=target,
        phase=phase,
        initial={"version": target.version},
    )
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_edit(
                target=target,
                actor=user,
                expected_version=data["version"],
                milestones=list(data["milestones"]),
                indicators=list(data["indicators"]),
                **{name: data[name] for name in TARGET_EDIT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if form_has_error_code(form, "stale"):
                # The target as it is now, read afresh (validating wrote the typed values onto
                # the form's instance), beside what the person typed.
                current = InterimTarget.objects.prefetch_related("milestones").get(pk=target.pk)
                form.data = form.data.copy()
                form.data["version"] = str(current.version)
        else:
            messages.success(request, _("The interim target is saved."))
            return redirect("partnership:phase_detail", pk=phase.pk)
    status = 200
    if form.errors:
        status = 409 if form_has_error_code(form, "stale") else 400
    return render(
        request,
        "partnership/target_edit.html",
        {
            "phase": phase,
            "project": phase.agreement.project,
            "target": target,
            "current": current,
            "form": form,
        },
        status=status,
    )
