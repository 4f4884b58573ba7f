"""A partner user's own share of an agreement's IP income (the region's leaders read the
whole ledger, ``views.agreement_ledger``). Someone who may not read it gets 404, as for a
missing agreement; a leader is sent to the ledger."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from clinics.access import access_for

from . import selectors
from .access import ledger_can_read, ledger_share_party
from .income_share import income_share_lines, income_share_totals


@login_required
@require_GET
def agreement_income_share(request, pk):
    user = request.user
    agreement = selectors.agreement_for_user_or_404(user, pk)
    access = access_for(user)
    if ledger_can_read(access):
        return redirect("partners:agreement_ledger", pk=agreement.pk)
    parties = selectors.agreement_parties(agreement)
    party = ledger_share_party(access, agreement, parties)
    if party is None:
        raise Http404
    lines = income_share_lines(agreement, parties, party)
    return render(
        request,
        "partners/agreement_income_share.html",
        {
            "agreement": agreement,
            "party": party,
            "lines": lines,
            "totals": income_share_totals(lines),
        },
    )
