"""A country's dossier as a file: every published record concerning the country.

CSV: one file, one row per record, a ``type`` column first and the columns every type shares.
XLSX: one sheet per type, with each type's own columns (those of the lists' downloads).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from cnrs_intl.activity import dossier_records
from cnrs_intl.figures import KeyFigureFilter, attach_countries, public_key_figures
from core import conditional
from core.dates import as_given
from core.exports import (
    CHUNK_SIZE,
    Column,
    ExportView,
    common_columns,
    csv_response,
    date_columns,
    name_of,
    names,
    page_link,
    status_label,
    xlsx_response,
)
from core.models import today
from instruments.exports import (
    instrument_columns,
    network_columns,
    network_status,
    public_instruments,
    public_networks,
)
from offices.exports import office_columns, public_offices
from offices.models import Country
from partnerships.exports import (
    agreement_columns,
    call_columns,
    institution_columns,
    milestone_columns,
    public_agreements,
    public_calls,
    public_institutions,
    public_milestones,
)

COMMON_HEADER = [
    _("Type"),
    _("Identifier"),
    _("Title"),
    _("Kind"),
    _("Status"),
    _("Start"),
    _("End"),
    _("Themes"),
    _("Institutions"),
    _("Following office"),
    _("Modified"),
    _("Page"),
]


# -- published key figures --


def key_figure_columns() -> list[Column]:
    """A published figure as its source states it, what it counts and where, when, and where
    the sources disagree; countries as lower-case ISO codes in the open data, names in the
    downloads (``country_list``, see ``KeyFigureExport``)."""
    return [
        Column("slug", _("Identifier")),
        Column("figure", _("Figure as written"), lambda o: o.display_value),
        Column("value", _("Value")),
        Column(
            "qualifier", _("Qualifier"), lambda o: o.qualifier, lambda o: o.get_qualifier_display()
        ),
        Column("label", _("What it counts"), translated=True),
        Column("kind", _("Tool counted")),
        Column(
            "countries",
            _("Countries"),
            lambda o: [code.lower() for code in o.country_code_list],
            lambda o: (
                [str(c) for c in getattr(o, "country_list", None) or []]
                or [code.lower() for code in o.country_code_list]
            ),
        ),
        *date_columns("as_of", _("As of")),
        Column("as_of_label", _("Period"), translated=True),
        Column("contradictions", _("Where the sources disagree")),
        Column("other_sources", _("Other sources"), lambda o: o.other_source_list),
        *common_columns(),
    ]


class KeyFigureExport(ExportView):
    """The published figures as a file, with the figures page's filters."""

    filterset_class = KeyFigureFilter
    columns = staticmethod(key_figure_columns)
    basename = "key-figures"
    title = _("Published figures")

    def get_queryset(self):
        return public_key_figures()

    def header(self, columns) -> list:
        # A figure has no page of its own: no "Page" column.
        return [column.label for column in columns]

    def rows(self, queryset, columns):
        known = {str(country.code): country for country in Country.objects.all()}
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            attach_countries([obj], known)
            yield [column.show(obj) for column in columns]


def dossier_parts(code: str):
    """(type label, sheet columns, queryset, common-row reader) for each part of the dossier.

    The records are the dossier page's (``dossier_records``), read with the downloads' columns.
    """
    records = dossier_records(code)

    def part(name, queryset):
        return queryset.filter(pk__in=records[name].values("pk"))

    return [
        (
            _("Office"),
            office_columns,
            part("offices", public_offices()),
            lambda o: (o.name, "", "", o.opened, o.closed, [], [], None),
        ),
        (
            _("Instrument"),
            instrument_columns,
            part("instruments", public_instruments()),
            lambda o: (
                str(o),
                o.kind.code,
                status_label(o.date_status),
                as_given(o.start_on, o.start_on_precision),
                as_given(o.end_on, o.end_on_precision),
                names(o.theme_list),
                names(o.public_partners),
                name_of(o.office),
            ),
        ),
        (
            _("Network"),
            network_columns,
            part("networks", public_networks()),
            lambda o: (
                str(o),
                "",
                status_label(network_status(o)),
                as_given(o.launched_on, o.launched_on_precision),
                as_given(o.ended_on, o.ended_on_precision),
                names(o.theme_list),
                names(o.public_institutions),
                name_of(o.office),
            ),
        ),
        (
            _("Agreement"),
            agreement_columns,
            part("agreements", public_agreements()),
            lambda o: (
                o.title,
                o.get_kind_display(),
                status_label(o.date_status),
                as_given(o.signed_on, o.signed_on_precision),
                as_given(o.expires_on, o.expires_on_precision),
                names(o.theme_list),
                names(o.public_parties),
                name_of(o.office),
            ),
        ),
        (
            _("Call for proposals"),
            call_columns,
            part("calls", public_calls()),
            lambda o: (
                o.title,
                "",
                status_label(o.date_status),
                as_given(o.opens_on, o.opens_on_precision),
                as_given(o.closes_on, o.closes_on_precision),
                names(o.theme_list),
                names(o.public_funders),
                name_of(o.office),
            ),
        ),
        (
            _("Institution"),
            institution_columns,
            part("institutions", public_institutions()),
            lambda o: (str(o), o.get_kind_display(), "", None, None, [], [], None),
        ),
        (
            _("Milestone"),
            milestone_columns,
            part("milestones", public_milestones()),
            lambda o: (
                o.title,
                "",
                "",
                as_given(o.date, o.date_precision),
                None,
                names(o.theme_list),
                names(o.public_institutions),
                None,
            ),
        ),
    ]


class CountryExport(View):
    """``/<lang>/countries/<iso2>/export.csv|xlsx``: the dossier, in the page's language."""

    file_format = "csv"

    def get(self, request, iso2):
        if len(iso2) != 2 or not iso2.isascii() or not iso2.isalpha():
            raise Http404(_("No such country."))
        country = get_object_or_404(Country, code=iso2.upper())
        code = str(country.code)
        language = translation.get_language()
        return conditional.serve(
            request,
            lambda: self.produce(code, language),
            etag_parts=(language, self.file_format, today().isoformat()),
            streamed=True,
        )

    def produce(self, code, language):
        parts = dossier_parts(code)
        filename = f"country-{code.lower()}-{language}-{today():%Y-%m-%d}.{self.file_format}"
        if self.file_format == "xlsx":
            sheets = [
                (
                    label,
                    [*(column.label for column in columns()), _("Page")],
                    self.sheet_rows(queryset, columns()),
                )
                for label, columns, queryset, _common in parts
            ]
            return xlsx_response(filename, sheets)
        return csv_response(filename, COMMON_HEADER, self.common_rows(parts))

    def sheet_rows(self, queryset, columns):
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [*(column.show(obj) for column in columns), page_link(self.request, obj)]

    def common_rows(self, parts):
        for label, _columns, queryset, common in parts:
            for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
                title, kind, status, start, end, themes, institutions, office = common(obj)
                yield [
                    label,
                    obj.slug,
                    title,
                    kind,
                    status,
                    start,
                    end,
                    themes,
                    institutions,
                    office,
                    obj.updated_at,
                    page_link(self.request, obj),
                ]
