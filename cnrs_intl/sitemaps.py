"""sitemap.xml: every public page in French and English, each with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from cnrs_intl.activity import with_activity_filter
from instruments.models import Instrument, Network
from offices.models import Country, Office, Sector
from partnerships.models import Agreement, Call, Institution


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(I18nSitemap):
    """The pages that are not records (home, lists, the accessibility statement)."""

    changefreq = "daily"
    names = (
        "home",
        "offices:list",
        "offices:sectors",
        "countries:list",
        "instruments:list",
        "instruments:networks",
        "partnerships:list",
        "institutions:list",
        "calls:list",
        "figures:list",
        "accessibility",
    )

    def items(self):
        wired = []
        for name in self.names:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            wired.append(name)
        return wired

    def location(self, item):
        return reverse(item)


class RecordSitemap(I18nSitemap):
    changefreq = "weekly"

    def lastmod(self, item):
        return getattr(item, "updated_at", None)


class SectorSitemap(RecordSitemap):
    def items(self):
        return Sector.objects.order_by("order", "slug")


class CountrySitemap(RecordSitemap):
    def items(self):
        return with_activity_filter(Country.objects.all()).order_by("code")


class OfficeSitemap(RecordSitemap):
    def items(self):
        return Office.objects.published().order_by("slug")


class InstrumentSitemap(RecordSitemap):
    def items(self):
        return Instrument.objects.published().order_by("slug")


class NetworkSitemap(RecordSitemap):
    def items(self):
        return Network.objects.published().order_by("slug")


class AgreementSitemap(RecordSitemap):
    def items(self):
        return Agreement.objects.published().order_by("slug")


class InstitutionSitemap(RecordSitemap):
    def items(self):
        return Institution.objects.published().order_by("slug")


class CallSitemap(RecordSitemap):
    def items(self):
        return Call.objects.published().order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "sectors": SectorSitemap,
    "countries": CountrySitemap,
    "offices": OfficeSitemap,
    "instruments": InstrumentSitemap,
    "networks": NetworkSitemap,
    "agreements": AgreementSitemap,
    "institutions": InstitutionSitemap,
    "calls": CallSitemap,
}
