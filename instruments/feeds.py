"""Atom feed of the instruments list."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.feeds import CatalogFeed, dates_text, summary_lines
from core.models import DateStatus
from instruments.exports import public_instruments
from instruments.filters import InstrumentFilter


class InstrumentFeed(CatalogFeed):
    filterset_class = InstrumentFilter
    list_url_name = "instruments:list"
    resource = _("cooperation instruments")

    def get_queryset(self):
        return public_instruments()

    def item_summary(self, item):
        countries = ", ".join(str(country) for country in item.country_list)
        when = dates_text(item, "start_on", "end_on")
        reported = ""
        if item.date_status == DateStatus.UNKNOWN:
            when = str(DateStatus.UNKNOWN.label)
            if item.reported_status:
                reported = gettext("Last reported: %(status)s (%(source)s)") % {
                    "status": item.reported_status,
                    "source": item.source_title,
                }
        return summary_lines(
            " · ".join(part for part in (item.kind.code, when) if part),
            reported,
            countries,
            item.summary,
        )
