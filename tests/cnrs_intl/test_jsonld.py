"""Schema.org descriptions (JSON-LD) on agreement, call, network and country pages: valid JSON
in both languages, names in the page's language, addresses absolute, dates ISO 8601 at the
source's precision."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import DatePrecision, today
from instruments.models import Instrument
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    NetworkFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def described(client, url_name, lang, **kwargs) -> dict:
    with translation.override(lang):
        url = reverse(url_name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200
    blocks = SCRIPT.findall(response.content.decode())
    assert len(blocks) == 1, "one description per page"
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == data["url"] == f"http://testserver{url}"
    return data


@pytest.fixture
def records():
    china = CountryFactory(code="CN", name_fr="Chine", name_en="China")
    cas = InstitutionFactory(
        slug="cas", name_fr="Académie des sciences", name_en="Academy of Sciences", country=china
    )
    draft = InstitutionFactory(slug="hidden", name_en="Hidden", status="draft", country=china)
    agreement = AgreementFactory(
        slug="cas-frame",
        title_fr="Accord-cadre CNRS–CAS",
        title_en="CNRS–CAS framework agreement",
        summary_fr="Un accord.",
        summary_en="An agreement.",
        signed_on=today() - datetime.timedelta(days=400),
        signed_on_precision=DatePrecision.MONTH,
    )
    agreement.parties.set([cas, draft])
    agreement.countries.set([china])
    call = CallFactory(
        slug="nsfc-2025",
        title_fr="Appel CNRS–NSFC",
        title_en="CNRS–NSFC call",
        agreement=agreement,
        opens_on=today() - datetime.timedelta(days=10),
        closes_on=today() + datetime.timedelta(days=30),
        url="https://example.org/call",
    )
    call.funders.set([cas])
    call.countries.set([china])
    network = NetworkFactory(
        slug="cnc",
        name_fr="Réseau carbone",
        name_en="Carbon network",
        acronym="CNC",
        launched_on=datetime.date(2023, 11, 24),
        website="https://example.org/cnc",
    )
    network.countries.set([china])
    network.institutions.set([cas])
    node = InstrumentFactory(
        slug="irn-bio",
        title_fr="Réseau bio",
        title_en="Bio network",
        start_on=today() - datetime.timedelta(days=100),
        end_on=today() + datetime.timedelta(days=900),
        countries=[china],
    )
    node.networks.add(network)
    CoverageFactory(
        office=OfficeFactory(
            slug="beijing",
            country=china,
            name_en="CNRS China office",
            name_fr="Bureau du CNRS en Chine",
        )
    )
    return {"agreement": agreement, "call": call, "network": network, "node": node}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_agreement_page_describes_the_agreement(client, records, lang):
    data = described(client, "partnerships:detail", lang, slug="cas-frame")
    assert data["@type"] == "Project"
    assert (
        data["name"] == {"fr": "Accord-cadre CNRS–CAS", "en": "CNRS–CAS framework agreement"}[lang]
    )
    assert data["description"] == {"fr": "Un accord.", "en": "An agreement."}[lang]
    assert data["additionalType"] == f"http://testserver/{lang}/partnerships/?kind=framework"
    signed = records["agreement"].signed_on
    assert data["foundingDate"] == f"{signed:%Y-%m}"  # to the month, as the source gives it
    members = [member["url"] for member in data["member"]]
    assert members == [f"http://testserver/{lang}/institutions/cas/"]  # the draft party stays out
    assert data["areaServed"] == [
        {"@type": "Country", "name": {"fr": "Chine", "en": "China"}[lang]}
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_call_page_describes_the_call(client, records, lang):
    data = described(client, "calls:detail", lang, slug="nsfc-2025")
    call = records["call"]
    assert data["@type"] == ["Grant", "Offer"]
    assert data["name"] == {"fr": "Appel CNRS–NSFC", "en": "CNRS–NSFC call"}[lang]
    assert data["validFrom"] == call.opens_on.isoformat()
    assert data["validThrough"] == call.closes_on.isoformat()
    assert data["sameAs"] == ["https://example.org/call"]
    assert [funder["url"] for funder in data["funder"]] == [
        f"http://testserver/{lang}/institutions/cas/"
    ]
    assert data["isRelatedTo"]["url"] == f"http://testserver/{lang}/partnerships/cas-frame/"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_network_page_describes_the_network(client, records, lang):
    data = described(client, "instruments:network", lang, slug="cnc")
    assert data["@type"] == "Organization"
    assert data["name"] == {"fr": "Réseau carbone", "en": "Carbon network"}[lang]
    assert data["alternateName"] == "CNC"
    assert data["foundingDate"] == "2023-11-24"
    assert data["sameAs"] == ["https://example.org/cnc"]
    assert {member["@type"] for member in data["member"]} == {"ResearchProject", "Organization"}
    node = next(member for member in data["member"] if member["@type"] == "ResearchProject")
    assert node["name"] == {"fr": "Réseau bio", "en": "Bio network"}[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_country_page_describes_the_dossier(client, records, lang):
    data = described(client, "countries:detail", lang, iso2="cn")
    assert data["@type"] == "CollectionPage"
    assert data["inLanguage"] == lang
    assert data["about"] == {
        "@type": "Country",
        "name": {"fr": "Chine", "en": "China"}[lang],
        "identifier": "CN",
    }
    assert data["name"] == {"fr": "CNRS – Chine", "en": "CNRS and China"}[lang]
    mentioned = {item["url"] for item in data["mentions"]}
    assert f"http://testserver/{lang}/instruments/irn-bio/" in mentioned
    assert f"http://testserver/{lang}/partnerships/cas-frame/" in mentioned
    assert f"http://testserver/{lang}/calls/nsfc-2025/" in mentioned
    assert [office["name"] for office in data["provider"]] == [
        {"fr": "Bureau du CNRS en Chine", "en": "CNRS China office"}[lang]
    ]


def test_unpublished_node_is_not_named(client, records):
    records["node"].status = Instrument.Status.DRAFT
    records["node"].save()
    data = described(client, "instruments:network", "en", slug="cnc")
    assert all(member["@type"] != "ResearchProject" for member in data["member"])
