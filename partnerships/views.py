"""Public pages for agreements, partner institutions and calls for proposals."""

from django.urls import reverse

from core import jsonld
from core.models import published_prefetch
from core.views import FilteredListView, PublishedDetailView
from offices.models import Office
from partnerships.filters import AgreementFilter, CallFilter, InstitutionFilter
from partnerships.models import Agreement, Call, Institution, Milestone

# -- agreements --


class AgreementListView(FilteredListView):
    """Agreements with filters (country, sector, theme, kind, party, status, year, text)."""

    filterset_class = AgreementFilter
    template_name = "partnerships/agreement_list.html"
    nav = "partnerships"

    def get_queryset(self):
        return Agreement.objects.published().prefetch_related(
            "countries", published_prefetch("parties", Institution)
        )


class AgreementDetailView(PublishedDetailView):
    """One agreement: its parties, countries, themes, calls and story (the site layer adds the
    instruments and networks launched under it)."""

    model = Agreement
    template_name = "partnerships/agreement_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("office").prefetch_related(
            "countries",
            "themes",
            published_prefetch("parties", Institution, "country"),
            published_prefetch("calls", Call),
            published_prefetch("milestones", Milestone),
        )

    def json_ld(self):
        return agreement_json_ld(self.request, self.object)


def agreement_json_ld(request, agreement):
    """An agreement as a schema.org ``Project`` of CNRS with its parties as members; its kind as
    the URL of the agreements of that kind."""
    data = jsonld.record(request, agreement, "Project", agreement.title)
    kind_list = f"{reverse('partnerships:list')}?kind={agreement.kind}"
    data["additionalType"] = request.build_absolute_uri(kind_list)
    data["parentOrganization"] = jsonld.CNRS
    jsonld.add_text(data, "description", agreement.summary)
    jsonld.add_date(data, "foundingDate", agreement.signed_on, agreement.signed_on_precision)
    jsonld.add_date(data, "dissolutionDate", agreement.expires_on, agreement.expires_on_precision)
    if agreement.document:
        data["subjectOf"] = {
            "@type": "DigitalDocument",
            "encodingFormat": "application/pdf",
            "url": request.build_absolute_uri(agreement.document.url),
        }
    parties = [
        jsonld.reference(request, party, "Organization", party.name)
        for party in getattr(agreement, "published_parties", [])
    ]
    if parties:
        data["member"] = parties
    jsonld.add_text(data, "areaServed", jsonld.countries(agreement.countries.all()))
    jsonld.add_text(data, "keywords", jsonld.keywords(agreement.themes.all()))
    return data


# -- institutions --


class InstitutionListView(FilteredListView):
    """Partner institutions with filters (country, sector, kind, text)."""

    filterset_class = InstitutionFilter
    template_name = "partnerships/institution_list.html"
    nav = "institutions"

    def get_queryset(self):
        return Institution.objects.published().select_related("country", "parent")


class InstitutionDetailView(PublishedDetailView):
    """One institution: where it is, what it belongs to, its agreements, calls and story (the
    site layer adds the instruments and networks it takes part in)."""

    model = Institution
    template_name = "partnerships/institution_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("country", "parent").prefetch_related(
            published_prefetch("children", Institution),
            published_prefetch("agreements", Agreement),
            published_prefetch("calls", Call),
            published_prefetch("offices_operated", Office),
            published_prefetch("milestones", Milestone),
        )

    def json_ld(self):
        return institution_json_ld(self.request, self.object)


SCHEMA_ORG_TYPES = {
    Institution.Kind.UNIVERSITY: "CollegeOrUniversity",
    Institution.Kind.MINISTRY: "GovernmentOrganization",
    Institution.Kind.FUNDING_AGENCY: "FundingAgency",
    Institution.Kind.ACADEMY: "ResearchOrganization",
    Institution.Kind.RESEARCH_ORGANISATION: "ResearchOrganization",
    Institution.Kind.LABORATORY: "ResearchOrganization",
}


def institution_json_ld(request, institution):
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_TYPES.get(institution.kind, "Organization"),
        "@id": request.build_absolute_uri(institution.get_absolute_url()),
        "url": request.build_absolute_uri(institution.get_absolute_url()),
        "name": institution.name,
    }
    if institution.acronym:
        data["alternateName"] = institution.acronym
    if institution.description:
        data["description"] = institution.description
    same_as = [url for url in (institution.ror_url, institution.website) if url]
    if same_as:
        data["sameAs"] = same_as
    if institution.ror_id:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ROR",
            "value": institution.ror_id,
            "url": institution.ror_url,
        }
    if institution.country_id:
        data["address"] = {
            "@type": "PostalAddress",
            "addressCountry": str(institution.country.code),
        }
    if institution.parent_id and institution.parent.is_published:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": institution.parent.name,
            "url": request.build_absolute_uri(institution.parent.get_absolute_url()),
        }
    children = getattr(institution, "published_children", [])
    if children:
        data["subOrganization"] = [
            {
                "@type": "Organization",
                "name": child.name,
                "url": request.build_absolute_uri(child.get_absolute_url()),
            }
            for child in children
        ]
    return data


# -- calls --


class CallListView(FilteredListView):
    """Calls for proposals, open ones first (soonest deadline first), then upcoming, then past."""

    filterset_class = CallFilter
    template_name = "partnerships/call_list.html"
    nav = "calls"

    def get_queryset(self):
        return Call.objects.published().open_first().prefetch_related("countries")


class CallDetailView(PublishedDetailView):
    """One call: its agreement, funders, countries, themes and deadline."""

    model = Call
    template_name = "partnerships/call_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("agreement", "office").prefetch_related(
            "countries",
            "themes",
            published_prefetch("funders", Institution),
        )

    def json_ld(self):
        return call_json_ld(self.request, self.object)


def call_json_ld(request, call):
    """A call for proposals as a schema.org ``Grant`` offered (``Offer``) from its opening to its
    deadline, by its funders; its own page (the funders' call page) as ``sameAs``."""
    data = jsonld.record(request, call, ["Grant", "Offer"], call.title)
    jsonld.add_text(data, "description", call.description)
    jsonld.add_date(data, "validFrom", call.opens_on, call.opens_on_precision)
    jsonld.add_date(data, "validThrough", call.closes_on, call.closes_on_precision)
    if call.url:
        data["sameAs"] = [call.url]
    funders = [
        jsonld.reference(request, funder, "Organization", funder.name)
        for funder in getattr(call, "published_funders", [])
    ]
    data["funder"] = funders or [jsonld.CNRS]
    data["offeredBy"] = data["funder"]
    if call.agreement_id and call.agreement.is_published:
        data["isRelatedTo"] = jsonld.reference(
            request, call.agreement, "Project", call.agreement.title
        )
    jsonld.add_text(data, "eligibleRegion", jsonld.countries(call.countries.all()))
    jsonld.add_text(data, "keywords", jsonld.keywords(call.themes.all()))
    return data
