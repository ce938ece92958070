"""Institutions, agreements, calls and milestones as rows, and their downloads (CSV, XLSX)."""

from django.utils.translation import gettext_lazy as _

from core.exports import (
    Column,
    ExportView,
    codes,
    common_columns,
    date_columns,
    name_of,
    names,
    slug_of,
    status_label,
    themes_prefetch,
)
from core.models import published_prefetch
from offices.exports import countries_column, countries_prefetch
from offices.models import Office
from partnerships.filters import AgreementFilter, CallFilter, InstitutionFilter
from partnerships.models import Agreement, Call, Institution, Milestone


def public_institutions():
    return (
        Institution.objects.published()
        .select_related("country__sector", "parent__country")
        .prefetch_related(published_prefetch("offices_operated", Office, to_attr="public_offices"))
    )


def public_agreements():
    return (
        Agreement.objects.published()
        .select_related("office")
        .prefetch_related(
            published_prefetch("parties", Institution, "country", to_attr="public_parties"),
            countries_prefetch(),
            themes_prefetch(),
        )
    )


def public_calls():
    return (
        Call.objects.published()
        .open_first()
        .select_related("agreement", "office")
        .prefetch_related(
            published_prefetch("funders", Institution, "country", to_attr="public_funders"),
            countries_prefetch(),
            themes_prefetch(),
        )
    )


def public_milestones():
    return Milestone.objects.published().prefetch_related(
        countries_prefetch(),
        themes_prefetch(),
        published_prefetch("agreements", Agreement, to_attr="public_agreements"),
        published_prefetch("institutions", Institution, "country", to_attr="public_institutions"),
    )


def themes_column() -> Column:
    return Column(
        "themes",
        _("Themes"),
        lambda o: codes(o.theme_list),
        lambda o: names(o.theme_list),
    )


def institution_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("name", _("Name"), translated=True),
        Column("acronym", _("Acronym")),
        Column("kind", _("Kind"), lambda o: o.kind, lambda o: o.get_kind_display()),
        Column(
            "country",
            _("Country"),
            lambda o: o.country.iso2 if o.country else None,
            lambda o: str(o.country) if o.country else None,
        ),
        Column(
            "parent",
            _("Parent institution"),
            lambda o: slug_of(o.parent),
            lambda o: name_of(o.parent),
        ),
        Column("ror_id", _("ROR id")),
        Column("website", _("Website")),
        Column(
            "offices_operated",
            _("Offices run jointly with CNRS"),
            lambda o: codes(o.public_offices),
            lambda o: names(o.public_offices),
        ),
        Column("description", _("Description"), translated=True),
        *common_columns(),
    ]


def agreement_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("title", _("Title"), translated=True),
        Column("kind", _("Kind"), lambda o: o.kind, lambda o: o.get_kind_display()),
        Column(
            "status", _("Status"), lambda o: o.date_status, lambda o: status_label(o.date_status)
        ),
        Column(
            "parties",
            _("Parties"),
            lambda o: codes(o.public_parties),
            lambda o: names(o.public_parties),
        ),
        countries_column(),
        themes_column(),
        *date_columns("signed_on", _("Signed on")),
        *date_columns("renewed_on", _("Renewed on")),
        *date_columns("expires_on", _("Expires on")),
        Column(
            "office",
            _("Following office"),
            lambda o: slug_of(o.office),
            lambda o: name_of(o.office),
        ),
        Column("summary", _("Summary"), translated=True),
        *common_columns(),
    ]


def call_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("title", _("Title"), translated=True),
        Column(
            "status", _("Status"), lambda o: o.date_status, lambda o: status_label(o.date_status)
        ),
        *date_columns("opens_on", _("Opens on")),
        *date_columns("closes_on", _("Closes on (deadline)")),
        Column(
            "agreement",
            _("Agreement"),
            lambda o: slug_of(o.agreement),
            lambda o: name_of(o.agreement),
        ),
        Column(
            "funders",
            _("Funders"),
            lambda o: codes(o.public_funders),
            lambda o: names(o.public_funders),
        ),
        countries_column(),
        themes_column(),
        Column("max_projects", _("Projects funded (at most)")),
        Column("funding", _("Funding"), translated=True),
        *date_columns("projects_start", _("Projects start")),
        *date_columns("projects_end", _("Projects end")),
        Column("call_page", _("Call page"), lambda o: o.url),
        Column(
            "office",
            _("Following office"),
            lambda o: slug_of(o.office),
            lambda o: name_of(o.office),
        ),
        Column("description", _("Description"), translated=True),
        *common_columns(),
    ]


def milestone_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        *date_columns("date", _("Date"), _("Date precision")),
        Column("title", _("Title"), translated=True),
        countries_column(),
        themes_column(),
        Column(
            "agreements",
            _("Agreements"),
            lambda o: codes(o.public_agreements),
            lambda o: names(o.public_agreements),
        ),
        Column(
            "institutions",
            _("Institutions"),
            lambda o: codes(o.public_institutions),
            lambda o: names(o.public_institutions),
        ),
        Column("description", _("Description"), translated=True),
        *common_columns(),
    ]


class AgreementExport(ExportView):
    """The partnerships list (agreements) as a file, with the list's filters."""

    filterset_class = AgreementFilter
    columns = staticmethod(agreement_columns)
    basename = "partnerships"
    title = _("Agreements")

    def get_queryset(self):
        return public_agreements()


class InstitutionExport(ExportView):
    filterset_class = InstitutionFilter
    columns = staticmethod(institution_columns)
    basename = "institutions"
    title = _("Institutions")

    def get_queryset(self):
        return public_institutions()


class CallExport(ExportView):
    filterset_class = CallFilter
    columns = staticmethod(call_columns)
    basename = "calls"
    title = _("Calls for proposals")

    def get_queryset(self):
        return public_calls()
