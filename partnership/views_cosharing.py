"""Pages of co-sharing rules: thin views over the selectors (404 for what one may not read),
the rule (404 for readers who may not agree rules, as for a missing agreement: a rule holds
every party's terms) and the service (which checks again). The
rules and their results are read on the agreement page (``partnership.cosharing_pages``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinics.access import access_for, require_or_404
from core.forms import add_service_errors, form_has_error_code
from partners.selectors import agreement_for_user_or_404

from .access import sharing_rule_can_manage
from .cosharing_selectors import sharing_rule_for_user_or_404
from .forms_cosharing import SharingRuleForm
from .models import SharingRule
from .services.cosharing import agreement_party_ids, sharing_rule_create, sharing_rule_edit


def _page(request, *, agreement, rule, form, status):
    return render(
        request,
        "partnership/cosharing_rule_form.html",
        {"agreement": agreement, "project": agreement.project, "rule": rule, "form": form},
        status=status,
    )


def _status(form) -> int:
    if form_has_error_code(form, "stale"):
        return 409
    return 400 if form.errors else 200


@login_required
def sharing_rule_create_view(request, pk):
    user = request.user
    agreement = agreement_for_user_or_404(user, pk)
    require_or_404(sharing_rule_can_manage(access_for(user), agreement))
    form = SharingRuleForm(
        request.POST if request.method == "POST" else None,
        agreement=agreement,
        party_ids=agreement_party_ids(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            sharing_rule_create(
                agreement=agreement,
                indicator=form.cleaned_data["indicator"],
                actor=user,
                parties=form.parties(),
                **form.rule_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sharing indicator is added."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return _page(request, agreement=agreement, rule=None, form=form, status=_status(form))


@login_required
def sharing_rule_edit_view(request, pk):
    user = request.user
    rule = sharing_rule_for_user_or_404(user, pk)
    agreement = rule.agreement
    require_or_404(sharing_rule_can_manage(access_for(user), agreement))
    party_ids = agreement_party_ids(agreement)
    initial = {
        "version": rule.version,
        "indicator": rule.indicator_id,
        "floor": rule.floor,
        "ceiling": rule.ceiling,
        "currency": rule.currency,
        "cost_amount": rule.cost_amount,
        "gain_per_unit": rule.gain_per_unit,
        "note": rule.note,
    }
    form = SharingRuleForm(
        request.POST if request.method == "POST" else None,
        agreement=agreement,
        party_ids=party_ids,
        rule=rule,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            sharing_rule_edit(
                rule=rule,
                actor=user,
                expected_version=form.cleaned_data["version"],
                parties=form.parties(),
                **form.rule_fields(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                # The rule as it is now beside what the person typed, which a second save
                # (now based on the current version) may keep.
                current = SharingRule.objects.prefetch_related("parties").get(pk=rule.pk)
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = SharingRuleForm(
                    data, agreement=agreement, party_ids=party_ids, rule=current, initial=initial
                )
                form.is_valid()
                form.current = current
            add_service_errors(form, error)
        else:
            messages.success(request, _("The co-sharing rule is saved."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return _page(request, agreement=agreement, rule=rule, form=form, status=_status(form))
