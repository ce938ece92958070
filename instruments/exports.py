"""Kinds, networks and instruments as rows, and the instruments list's downloads (CSV, XLSX)."""

from django.db.models import Prefetch
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
from core.models import Institute, published_prefetch
from instruments.filters import InstrumentFilter, NetworkFilter
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.exports import countries_column, countries_prefetch
from partnerships.exports import themes_column
from partnerships.models import Institution, Milestone


def public_kinds():
    return Kind.objects.prefetch_related(
        Prefetch(
            "legacy_names", queryset=LegacyName.objects.order_by("code"), to_attr="legacy_list"
        )
    )


def public_networks():
    return (
        Network.objects.published()
        .select_related("agreement", "office")
        .prefetch_related(
            themes_prefetch(),
            countries_prefetch(),
            published_prefetch(
                "institutions", Institution, "country", to_attr="public_institutions"
            ),
            published_prefetch("nodes", Instrument, "kind", to_attr="public_nodes"),
            published_prefetch("milestones", Milestone, to_attr="public_milestones"),
        )
    )


def public_instruments():
    return (
        Instrument.objects.published()
        .select_related("kind", "office", "agreement")
        .with_lineage()
        .prefetch_related(
            themes_prefetch(),
            countries_prefetch(),
            Prefetch(
                "institutes", queryset=Institute.objects.order_by("code"), to_attr="institute_list"
            ),
            published_prefetch("partners", Institution, "country", to_attr="public_partners"),
            published_prefetch("networks", Network, to_attr="public_networks"),
            published_prefetch("milestones", Milestone, to_attr="public_milestones"),
        )
    )


def kind_columns() -> list[Column]:
    return [
        Column("code", _("Code")),
        Column("name", _("Name"), translated=True),
        Column(
            "legacy_names",
            _("Former names"),
            lambda o: [legacy.code for legacy in o.legacy_list],
        ),
        Column("duration", _("Typical duration"), translated=True),
        Column("description", _("Description"), translated=True),
        Column("source_title", _("Source")),
        Column("source_url", _("Source link")),
        Column("checked_on", _("Last checked")),
    ]


def network_status(network) -> str:
    return network.date_status


def network_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("acronym", _("Acronym")),
        Column("name", _("Name"), translated=True),
        Column(
            "status",
            _("Status"),
            network_status,
            lambda o: status_label(network_status(o)),
        ),
        *date_columns("launched_on", _("Launched on")),
        *date_columns("ended_on", _("Ended on")),
        themes_column(),
        countries_column(),
        Column(
            "institutions",
            _("Steering institutions"),
            lambda o: codes(o.public_institutions),
            lambda o: names(o.public_institutions),
        ),
        Column(
            "nodes",
            _("Nodes (instruments)"),
            lambda o: codes(o.public_nodes),
            lambda o: names(o.public_nodes),
        ),
        Column(
            "agreement",
            _("Founding agreement"),
            lambda o: slug_of(o.agreement),
            lambda o: name_of(o.agreement),
        ),
        Column(
            "office",
            _("Following office"),
            lambda o: slug_of(o.office),
            lambda o: name_of(o.office),
        ),
        Column("website", _("Website")),
        Column("researchers", _("Researchers (published figure)")),
        Column("laboratories", _("Laboratories (published figure)")),
        Column("description", _("Description"), translated=True),
        *common_columns(),
    ]


def instrument_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("acronym", _("Acronym")),
        Column("title", _("Title"), translated=True),
        Column("kind", _("Kind"), lambda o: o.kind.code),
        Column(
            "status", _("Status"), lambda o: o.date_status, lambda o: status_label(o.date_status)
        ),
        *date_columns("start_on", _("Start")),
        *date_columns("end_on", _("End")),
        themes_column(),
        countries_column(),
        Column("institutes", _("CNRS institutes"), lambda o: codes(o.institute_list, "code")),
        Column(
            "partners",
            _("Partner institutions"),
            lambda o: codes(o.public_partners),
            lambda o: names(o.public_partners),
        ),
        Column("coordinators", _("Coordinators")),
        Column("city", _("City")),
        Column("stated_code", _("Code as stated")),
        Column("former_codes", _("Former codes")),
        Column("unit_numbers", _("Unit numbers")),
        Column(
            "office",
            _("Following office"),
            lambda o: slug_of(o.office),
            lambda o: name_of(o.office),
        ),
        Column(
            "agreement",
            _("Launched under agreement"),
            lambda o: slug_of(o.agreement),
            lambda o: name_of(o.agreement),
        ),
        Column(
            "networks",
            _("Node of networks"),
            lambda o: codes(o.public_networks),
            lambda o: names(o.public_networks),
        ),
        Column(
            "predecessors",
            _("Predecessors"),
            lambda o: codes(o.public_predecessors),
            lambda o: names(o.public_predecessors),
        ),
        Column("website", _("Website")),
        Column("summary", _("Summary"), translated=True),
        *common_columns(),
    ]


class InstrumentExport(ExportView):
    """The instruments list as a file, with the list's filters."""

    filterset_class = InstrumentFilter
    columns = staticmethod(instrument_columns)
    basename = "instruments"
    title = _("Instruments")

    def get_queryset(self):
        return public_instruments()


class NetworkExport(ExportView):
    filterset_class = NetworkFilter
    columns = staticmethod(network_columns)
    basename = "networks"
    title = _("Networks")

    def get_queryset(self):
        return public_networks()
