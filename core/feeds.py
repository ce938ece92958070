"""Atom feeds of new and changed published records, for any combination of list filters.

Each feed filters with the list's FilterSet, so an attaché subscribes to exactly the search they
see (``/en/feeds/instruments/?country=cn&theme=biodiversity``); a meaningless value answers 400.
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext

from core import conditional
from core.dates import format_precise_span
from core.exports import bad_request

FEED_SIZE = 50


class CatalogFeed(Feed):
    """The latest changed records of one public list (newest change first)."""

    feed_type = Atom1Feed
    filterset_class = None
    list_url_name = ""
    resource = ""
    limit = FEED_SIZE

    def get_queryset(self):
        raise NotImplementedError

    def __call__(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            return bad_request(filterset.errors)
        # The Feed instance is shared between requests: the request carries the filters.
        request.feed_filterset = filterset
        filterset.feed_path = request.path

        def produce():
            response = super(CatalogFeed, self).__call__(request, *args, **kwargs)
            response.headers["X-Robots-Tag"] = "noindex"
            return response

        return conditional.serve(request, produce)

    def get_object(self, request, *args, **kwargs):
        return request.feed_filterset

    def filters_text(self, filterset) -> str:
        return ", ".join(f"{name}: {value}" for name, value in filterset.active_filters)

    def title(self, filterset):
        title = gettext("CNRS International – %(resource)s") % {"resource": self.resource}
        filters = self.filters_text(filterset)
        return f"{title} ({filters})" if filters else title

    def subtitle(self, filterset):
        return gettext("New and changed records, most recent first (at most %(count)d).") % {
            "count": self.limit
        }

    def filter_query(self, filterset) -> str:
        """The filters as given, without the page or the order: the same feed whatever they are."""
        query = filterset.data.copy()
        query.pop("page", None)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""

    def link(self, filterset):
        try:
            url = reverse(self.list_url_name)
        except NoReverseMatch:
            url = "/"
        return url + self.filter_query(filterset)

    def feed_url(self, filterset):
        """``rel="self"``: this feed with its filters (Django's default drops them)."""
        return filterset.feed_path + self.filter_query(filterset)

    def items(self, filterset):
        return filterset.qs.order_by("-updated_at", "-pk")[: self.limit]

    def item_title(self, item):
        return str(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        """A ``tag:`` URI on the record's id: the entry stays the same when its slug changes."""
        return tag_uri(item)

    item_guid_is_permalink = False

    def item_description(self, item):
        return self.item_summary(item)

    def item_summary(self, item) -> str:
        return ""

    def item_pubdate(self, item):
        return as_utc(item.published_at or item.created_at)

    def item_updateddate(self, item):
        return as_utc(item.updated_at)

    def item_categories(self, item):
        return [str(theme) for theme in getattr(item, "theme_list", [])]

    def item_author_name(self, item):
        return "CNRS"


def as_utc(moment):
    """Feeds write moments in UTC, like the API and the files."""
    return moment.astimezone(datetime.UTC) if moment is not None else None


TAG_AUTHORITY_DEFAULT = "international.cnrs.fr,2025"


def tag_uri(obj) -> str:
    """``tag:international.cnrs.fr,2025:instrument/42`` (RFC 4151): the record's model and id."""
    authority = getattr(settings, "FEED_TAG_AUTHORITY", TAG_AUTHORITY_DEFAULT)
    return f"tag:{authority}:{obj._meta.model_name}/{obj.pk}"


def dates_text(item, start: str, end: str) -> str:
    """The item's ``start`` to ``end`` dates, as precisely as their source gives them."""
    return format_precise_span(
        getattr(item, start),
        getattr(item, f"{start}_precision"),
        getattr(item, end),
        getattr(item, f"{end}_precision"),
    )


def summary_lines(*parts) -> str:
    """The entry's summary (HTML in Atom): the non-empty parts, escaped, one paragraph each."""
    return format_html_join("", "<p>{}</p>", ((str(part),) for part in parts if part))
