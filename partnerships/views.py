"""Public pages for agreements, partner institutions and calls for proposals.

The two base views here (a filtered list, a published record) are shared with the instruments
pages, which sit one layer above.
"""

from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.models import today
from partnerships.filters import AgreementFilter, CallFilter, InstitutionFilter
from partnerships.models import Agreement, Call, Institution


class FilteredListView(FilterView):
    """A public list narrowed by its app's FilterSet, paginated, and forgiving of bad input.

    A parameter whose value means nothing (``country=ZZ``, ``year=abc``) is left out and named in
    a notice while the others still apply; a page number out of range shows the nearest page.
    """

    paginate_by = 20
    strict = False
    nav = ""

    def get(self, request, *args, **kwargs):
        self.notices = []
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get(self.page_kwarg, "").strip()
        number = 1
        if raw:
            try:
                number = int(raw)
            except ValueError:
                self.notices.append(
                    _("“%(page)s” is not a page number: here is the first page.")
                    % {"page": raw[:20]}
                )
            else:
                if number < 1:
                    number = 1
                    self.notices.append(_("Pages start at 1: here is the first page."))
                elif number > paginator.num_pages:
                    self.notices.append(
                        _("There is no page %(page)s: here is the last page (%(last)d).")
                        % {"page": raw[:20], "last": paginator.num_pages}
                    )
                    number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def filter_notices(self):
        filterset = self.filterset
        if not filterset.is_bound:
            return []
        notices = []
        for name, errors in filterset.form.errors.items():
            field = filterset.form.fields.get(name)
            label = field.label if field is not None else name
            for error in errors:
                notices.append(
                    _("The filter “%(label)s” (%(param)s) was ignored: %(error)s")
                    % {"label": label, "param": name, "error": error}
                )
        return notices

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        context["notices"] = self.filter_notices() + self.notices
        return context


class PublishedDetailView(DetailView):
    """One published record; a staff member sees a draft too with ``?preview=1``."""

    nav = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Only a preview request looks at the user, so ordinary visits load no session.
        self.preview = request.GET.get("preview") == "1" and request.user.is_staff

    def get_queryset(self):
        manager = self.model._default_manager
        return self.optimize(manager.all() if self.preview else manager.published())

    def optimize(self, queryset):
        return queryset

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404(_("No such page.")) from None

    def json_ld(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = self.nav
        context["is_draft_preview"] = not self.object.is_published
        context["structured_data"] = self.json_ld()
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_draft_preview"]:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


def published_prefetch(model, lookup, *select_related):
    """A ``Prefetch`` of only the published rows of ``model.<lookup>``, into ``published_<lookup>``.

    The related model is read from the relation, so a page of this layer can list the
    instruments and networks of the layer above without importing them.
    """
    queryset = model._meta.get_field(lookup).related_model._default_manager.published()
    if select_related:
        queryset = queryset.select_related(*select_related)
    return Prefetch(lookup, queryset=queryset, to_attr=f"published_{lookup}")


# -- agreements --


class AgreementListView(FilteredListView):
    """Agreements with filters (country, sector, theme, kind, party, status, year, text)."""

    filterset_class = AgreementFilter
    template_name = "partnerships/agreement_list.html"
    nav = "partnerships"

    def get_queryset(self):
        return Agreement.objects.published().prefetch_related(
            "countries", published_prefetch(Agreement, "parties")
        )


class AgreementDetailView(PublishedDetailView):
    """One agreement: its parties, countries, themes, calls, instruments and story."""

    model = Agreement
    template_name = "partnerships/agreement_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("office").prefetch_related(
            "countries",
            "themes",
            published_prefetch(Agreement, "parties", "country"),
            published_prefetch(Agreement, "calls"),
            published_prefetch(Agreement, "instruments", "kind"),
            published_prefetch(Agreement, "networks"),
            published_prefetch(Agreement, "milestones"),
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
    """One institution: where it is, what it belongs to, and every cooperation it takes part in."""

    model = Institution
    template_name = "partnerships/institution_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("country", "parent").prefetch_related(
            published_prefetch(Institution, "children"),
            published_prefetch(Institution, "agreements"),
            published_prefetch(Institution, "calls"),
            published_prefetch(Institution, "offices_operated"),
            published_prefetch(Institution, "instruments", "kind"),
            published_prefetch(Institution, "networks"),
            published_prefetch(Institution, "milestones"),
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
        on = today()
        calls = Call.objects.published()
        # The QuerySet's own conditions, so the order follows whatever "open" means for a call.
        is_open = calls._started(on) & calls._not_ended(on)
        rank = Case(
            When(is_open, then=Value(0)),
            When(~calls._started(on), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return (
            calls.annotate(open_rank=rank)
            .order_by(
                "open_rank",
                Case(When(open_rank__lt=2, then="closes_on")).asc(nulls_last=True),
                F("closes_on").desc(nulls_last=True),
                F("opens_on").desc(nulls_last=True),
                "slug",
            )
            .prefetch_related("countries")
        )


class CallDetailView(PublishedDetailView):
    """One call: its agreement, funders, countries, themes and deadline."""

    model = Call
    template_name = "partnerships/call_detail.html"

    def optimize(self, queryset):
        return queryset.select_related("agreement", "office").prefetch_related(
            "countries",
            "themes",
            published_prefetch(Call, "funders"),
        )
