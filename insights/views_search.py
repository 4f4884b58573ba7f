"""The site's search page (``/search/?q=``): every signed-in role, over what they may open."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinics.access import access_for
from insights.forms import SearchForm
from insights.selectors.search import (
    MIN_QUERY_LENGTH,
    PAGE_SIZE,
    hits_of,
    search_counts,
    search_preview,
    with_headlines_of,
)


@login_required
@require_GET
def search(request):
    """Every role may come; what each finds is what its ``visible_to`` sets hold (a person
    with no role finds nothing). An empty or one-letter query shows a hint, not everything."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "q": "", "results": [], "kind": None, "page": None}
    if form.is_bound and not form.is_valid():  # too long, or a character no text holds (NUL)
        return render(request, "insights/search.html", context, status=400)
    q = form.cleaned_data["q"] if form.is_bound else ""
    if len(q) < MIN_QUERY_LENGTH:
        context["hint"] = True
        return render(request, "insights/search.html", context)
    results = search_counts(user=request.user, q=q)
    chosen = next((r for r in results if r.kind.key == request.GET.get("kind")), None)
    context.update(q=q, results=results, total=sum(result.count for result in results))
    if chosen is None:
        search_preview(results, user=request.user, q=q)
    else:
        page = Paginator(with_headlines_of(chosen.kind, chosen.matches, q), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        chosen.hits = hits_of(chosen.kind, page.object_list, q, access_for(request.user))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(kind=chosen, page=page, query=query.urlencode())
    return render(request, "insights/search.html", context)
