"""The domain filters of the changelists, and the warnings staff see above the lists."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from core.models import Publishable
from instruments.models import Instrument
from offices.models import Coverage, Office
from partnerships.models import Agreement, Institution
from tests.admin.helpers import admin_url
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def shown(client, model, **params) -> list[str]:
    response = client.get(admin_url(model, "changelist"), params)
    return [getattr(obj, "slug", None) or str(obj) for obj in response.context["cl"].result_list]


def warnings(client, model) -> list[str]:
    response = client.get(admin_url(model, "changelist"))
    return [strip_tags(str(m)) for m in response.context["messages"] if m.level_tag == "warning"]


def test_sector_filter_goes_through_the_countries(derci_client, china, europe):
    kind = KindFactory(code="IRN")
    InstrumentFactory(slug="asian", kind=kind, countries=[china])
    InstrumentFactory(
        slug="european", kind=kind, countries=[CountryFactory(code="DE", sector=europe)]
    )

    assert shown(derci_client, Instrument, sector="asia-oceania") == ["asian"]
    assert shown(derci_client, Instrument, sector="europe") == ["european"]


def test_kind_filter_accepts_a_former_name(derci_client):
    irp = KindFactory(code="IRP")
    LegacyNameFactory(kind=irp, code="LIA")
    InstrumentFactory(slug="irp-1", kind=irp)
    InstrumentFactory(slug="irn-1", kind=KindFactory(code="IRN"))

    assert shown(derci_client, Instrument, kind="IRP") == ["irp-1"]
    assert shown(derci_client, Instrument, kind="LIA") == ["irp-1"]


def test_date_filters_on_agreements(derci_client):
    AgreementFactory(slug="ending", signed_on=TODAY - 400 * DAY, expires_on=TODAY + 30 * DAY)
    AgreementFactory(slug="later", signed_on=TODAY - 400 * DAY, expires_on=TODAY + 400 * DAY)
    AgreementFactory(slug="expired", signed_on=TODAY - 400 * DAY, expires_on=TODAY - DAY)
    AgreementFactory(slug="upcoming", signed_on=TODAY + 10 * DAY, expires_on=None)

    assert shown(derci_client, Agreement, ending="6m") == ["ending"]
    assert shown(derci_client, Agreement, dates="ended") == ["expired"]
    assert shown(derci_client, Agreement, dates="upcoming") == ["upcoming"]
    assert sorted(shown(derci_client, Agreement, dates="active")) == ["ending", "later"]


def test_source_filter_finds_records_without_source(derci_client):
    AgreementFactory(slug="sourced", source_url="https://www.cnrs.fr/")
    AgreementFactory(slug="unsourced")

    assert shown(derci_client, Agreement, source="none") == ["unsourced"]
    assert shown(derci_client, Agreement, source="given") == ["sourced"]


def test_my_offices_filter(office_editor_client, own_office, other_office):
    kind = KindFactory(code="IRN")
    InstrumentFactory(slug="mine", kind=kind, office=own_office)
    InstrumentFactory(slug="theirs", kind=kind, office=other_office)

    assert shown(office_editor_client, Instrument, mine="1") == ["mine"]
    assert shown(office_editor_client, Office, mine="1") == ["beijing"]


def test_institutions_without_ror_and_possible_duplicates(derci_client, china, japan):
    InstitutionFactory(slug="cas", name_fr="Academy of Sciences", country=china, ror_id="034t30j35")
    InstitutionFactory(slug="cas-bis", name_fr="ACADEMY OF SCIENCES", country=china)
    InstitutionFactory(
        slug="jsps", name_fr="Academy of Sciences", country=japan, ror_id="00hhkn466"
    )

    assert shown(derci_client, Institution, attention="no-ror") == ["cas-bis"]
    assert sorted(shown(derci_client, Institution, attention="duplicates")) == ["cas", "cas-bis"]
    assert warnings(derci_client, Institution) == [
        "1 institution has no ROR id. Show them",
        "2 institutions share their name with another in the same country: possible duplicates."
        " Show them",
    ]


def test_offices_needing_attention(derci_client, china, japan):
    OfficeFactory(slug="no-country", country=china)
    CoverageFactory(office=OfficeFactory(slug="host-missing", country=china), country=japan)
    closed = OfficeFactory(slug="closed", country=japan, opened=1990, closed=2000)
    CoverageFactory(office=closed, country=japan)
    fine = OfficeFactory(slug="fine", country=japan)
    CoverageFactory(office=fine, country=japan)

    assert shown(derci_client, Office, attention="no-country") == ["no-country"]
    assert shown(derci_client, Office, attention="host-not-covered") == [
        "host-missing",
        "no-country",
    ]
    assert shown(derci_client, Office, attention="closed-still-covering") == ["closed"]
    assert shown(derci_client, Coverage, attention="office-closed") == [str(closed.coverages.get())]


def test_records_past_their_end_still_published(derci_client):
    kind = KindFactory(code="IRN")
    InstrumentFactory(slug="past", kind=kind, start_on=TODAY - 900 * DAY, end_on=TODAY - DAY)
    InstrumentFactory(
        slug="past-draft",
        kind=kind,
        start_on=TODAY - 900 * DAY,
        end_on=TODAY - DAY,
        status=Publishable.Status.DRAFT,
    )
    InstrumentFactory(slug="current", kind=kind, start_on=TODAY - DAY, end_on=TODAY + DAY)

    assert shown(derci_client, Instrument, attention="past-end") == ["past"]
    assert warnings(derci_client, Instrument) == [
        "1 published record is past its end date: renewed, or to be archived? Show them"
    ]


def test_no_warning_when_all_is_well(derci_client, own_office):
    InstitutionFactory(slug="ok", ror_id="034t30j35")
    own_office.email = "beijing@cnrs.fr"
    own_office.save()

    assert warnings(derci_client, Institution) == []
    assert warnings(derci_client, Office) == []
