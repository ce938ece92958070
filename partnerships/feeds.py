"""Atom feeds of the agreements (partnerships), institutions and calls lists."""

from django.utils.translation import gettext_lazy as _

from core.feeds import CatalogFeed, dates_text, summary_lines
from partnerships.exports import public_agreements, public_calls, public_institutions
from partnerships.filters import AgreementFilter, CallFilter, InstitutionFilter


class AgreementFeed(CatalogFeed):
    filterset_class = AgreementFilter
    list_url_name = "partnerships:list"
    resource = _("partnership agreements")

    def get_queryset(self):
        return public_agreements()

    def item_summary(self, item):
        countries = ", ".join(str(country) for country in item.country_list)
        parties = ", ".join(str(party) for party in item.public_parties)
        return summary_lines(
            " · ".join(
                part
                for part in (item.get_kind_display(), dates_text(item, "signed_on", "expires_on"))
                if part
            ),
            countries,
            parties,
            item.summary,
        )


class InstitutionFeed(CatalogFeed):
    filterset_class = InstitutionFilter
    list_url_name = "institutions:list"
    resource = _("partner institutions")

    def get_queryset(self):
        return public_institutions()

    def item_summary(self, item):
        return summary_lines(
            item.get_kind_display(), str(item.country) if item.country else "", item.description
        )


class CallFeed(CatalogFeed):
    filterset_class = CallFilter
    list_url_name = "calls:list"
    resource = _("calls for proposals")

    def get_queryset(self):
        return public_calls()

    def item_summary(self, item):
        countries = ", ".join(str(country) for country in item.country_list)
        return summary_lines(
            dates_text(item, "opens_on", "closes_on"), countries, item.funding, item.description
        )
