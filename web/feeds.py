"""The change log between data versions as an Atom feed (/data/changes/feed/): one entry per load."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from web import pages


class DataChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "OA Evidence: what changed in each data version"
    subtitle = "Projects added, removed or changed by each load of the evidence."

    def link(self):
        return reverse("data-changes")

    def items(self):
        return pages.change_log(limit=20)

    def item_title(self, item):
        return f"Data version {item['version']}: {item['summary']}"

    def item_description(self, item):
        lines = [f"{change.get_kind_display()}: {change.title} ({change.slug})"
                 + (f"; changed: {', '.join(change.fields)}" if change.fields else "") for change in item["changes"]]
        return "\n".join(lines) or "No project changed."

    def item_link(self, item):
        return f"{reverse('data-changes')}#version-{item['version']}"

    def item_pubdate(self, item):
        return item["loaded_at"]

    def item_updateddate(self, item):
        return item["loaded_at"]
