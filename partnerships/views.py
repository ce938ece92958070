"""Public pages for agreements, partner institutions and calls for proposals."""

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
