"""Public pages for cooperation instruments and the networks they form."""

from django.db.models import Count, Prefetch, Q

from core import jsonld
from core.dates import precise_iso
from core.models import published_prefetch
from core.views import FilteredListView, PublishedDetailView
from instruments.filters import InstrumentFilter, NetworkFilter
from instruments.models import Instrument, Network
from partnerships.models import Institution, Milestone

# The organisation every instrument is a cooperation of, for schema.org.
CNRS = jsonld.CNRS


class InstrumentListView(FilteredListView):
    """Instruments with every filter of the contract (country, theme, kind, institute…)."""

    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"
    nav = "instruments"

    def get_queryset(self):
        return (
            Instrument.objects.published()
            .select_related("kind")
            .prefetch_related("countries")
            .with_lineage()
        )


class InstrumentDetailView(PublishedDetailView):
    """One instrument and every record it is related to."""

    model = Instrument
    template_name = "instruments/instrument_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("kind", "office", "agreement").prefetch_related(
            "kind__legacy_names",
            "countries",
            "themes",
            "institutes",
            published_prefetch("partners", Institution, "country"),
            published_prefetch("networks", Network),
            published_prefetch("milestones", Milestone),
        )

    def json_ld(self):
        return instrument_json_ld(self.request, self.object)


def instrument_json_ld(request, instrument):
    url = request.build_absolute_uri(instrument.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "ResearchProject",
        "@id": url,
        "url": url,
        "name": instrument.title,
        # A URL, as schema.org wants: the public list of instruments of this kind.
        "additionalType": request.build_absolute_uri(instrument.kind.get_absolute_url()),
        "parentOrganization": CNRS,
    }
    if instrument.acronym:
        data["alternateName"] = instrument.acronym
    if instrument.summary:
        data["description"] = instrument.summary
    if instrument.start_on:
        data["foundingDate"] = precise_iso(instrument.start_on, instrument.start_on_precision)
    if instrument.end_on:
        data["dissolutionDate"] = precise_iso(instrument.end_on, instrument.end_on_precision)
    if instrument.website:
        data["sameAs"] = [instrument.website]
    partners = [
        {
            "@type": "Organization",
            "name": partner.name,
            "url": request.build_absolute_uri(partner.get_absolute_url()),
        }
        for partner in instrument.published_partners
    ]
    if partners:
        data["member"] = partners
    countries = [
        {"@type": "Country", "name": str(country)} for country in instrument.countries.all()
    ]
    if countries:
        data["areaServed"] = countries
    themes = [str(theme) for theme in instrument.themes.all()]
    if themes:
        data["keywords"] = ", ".join(themes)
    return data


class NetworkListView(FilteredListView):
    """Networks of instruments (the CNC…)."""

    filterset_class = NetworkFilter
    template_name = "instruments/network_list.html"

    def get_queryset(self):
        published_nodes = Q(nodes__status=Instrument.Status.PUBLISHED)
        return (
            Network.objects.published()
            .annotate(node_count=Count("nodes", filter=published_nodes, distinct=True))
            .prefetch_related("countries")
        )


class NetworkDetailView(PublishedDetailView):
    """One network: its nodes grouped by kind, its axes, institutions, agreement and story."""

    model = Network
    template_name = "instruments/network_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("agreement", "office").prefetch_related(
            "countries",
            "themes",
            Prefetch(
                "nodes",
                queryset=Instrument.objects.published()
                .select_related("kind")
                .order_by("kind__order", "kind__code", "title", "slug"),
                to_attr="published_nodes",
            ),
            published_prefetch("institutions", Institution, "country"),
            published_prefetch("milestones", Milestone),
        )

    def json_ld(self):
        return network_json_ld(self.request, self.object)


def network_json_ld(request, network):
    """A network as a schema.org ``Organization`` of CNRS whose members are its nodes (each a
    ``ResearchProject``, as on its own page) and its institutions."""
    data = jsonld.record(request, network, "Organization", network.name)
    data["parentOrganization"] = CNRS
    jsonld.add_text(data, "alternateName", network.acronym)
    jsonld.add_text(data, "description", network.description)
    jsonld.add_date(data, "foundingDate", network.launched_on, network.launched_on_precision)
    jsonld.add_date(data, "dissolutionDate", network.ended_on, network.ended_on_precision)
    if network.website:
        data["sameAs"] = [network.website]
    members = [
        jsonld.reference(request, node, "ResearchProject", node.title)
        for node in getattr(network, "published_nodes", [])
    ] + [
        jsonld.reference(request, institution, "Organization", institution.name)
        for institution in getattr(network, "published_institutions", [])
    ]
    if members:
        data["member"] = members
    jsonld.add_text(data, "areaServed", jsonld.countries(network.countries.all()))
    jsonld.add_text(data, "keywords", jsonld.keywords(network.themes.all()))
    return data
