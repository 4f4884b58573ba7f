from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from portfolio.models import Idea


@login_required
def idea_detail(request, pk):
    idea = get_object_or_404(
        Idea.objects.visible_to(request.user).select_related("clinic", "submitter"), pk=pk
    )
    return render(request, "portfolio/idea_detail.html", {"idea": idea})
