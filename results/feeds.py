"""The Atom feed of published results, newest publications and updates first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_SIZE = 50


class ResultsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Results of innovation in partnership")
    subtitle = _("Results that the regions' innovation leaders have published for citizens.")

    def link(self):
        return reverse("results:index")

    def feed_url(self):
        return reverse("results:feed")

    def items(self):
        rows = selectors.public_rows(
            selectors.published_results().order_by("-updated_at", "-pk")[:FEED_SIZE]
        )
        return rows

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["summary"]

    def item_link(self, item):
        return item["url"]

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        return item["updated_at"]

    def item_categories(self, item):
        return [item["stage_label"], *item["themes"]]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = get_language()
        return feed
