"""Every API resource: list and detail, published records only, nested summaries, languages."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import Theme
from instruments.models import Instrument
from offices.models import Country
from tests.factories import InstrumentFactory, KindFactory

LISTS = [
    ("sector", "slug", ["europe", "asia-oceania"]),
    ("country", "iso2", ["cn", "fr", "jp"]),
    ("office", "slug", ["beijing", "tokyo"]),
    ("theme", "slug", ["environment", "biodiversity", "physics"]),
    ("institute", "code", ["INEE", "INP"]),
    ("kind", "code", ["IRN", "IRP"]),
    ("network", "slug", ["cnc"]),
    ("institution", "slug", ["cas", "nsfc", "jsps"]),
    ("instrument", "slug", ["future-irn", "irn-bio", "irp-physics"]),
    ("agreement", "slug", ["cnrs-cas", "old-japan"]),
    ("call", "slug", ["nsfc-call", "jsps-call"]),
    ("milestone", "slug", ["agreement-1978", "visit-2024"]),
]

DETAILS = [
    ("sector", {"slug": "asia-oceania"}, "name", "Asie–Océanie"),
    ("country", {"iso2": "cn"}, "name", "Chine"),
    ("office", {"slug": "beijing"}, "name", "Bureau de Pékin"),
    ("theme", {"slug": "biodiversity"}, "name", "Biodiversité"),
    ("institute", {"code": "INEE"}, "name", "Institut écologie et environnement"),
    ("kind", {"code": "IRN"}, "name", "Réseau international de recherche"),
    ("network", {"slug": "cnc"}, "name", "Réseau carbone"),
    ("institution", {"slug": "cas"}, "name", "Académie chinoise des sciences"),
    ("instrument", {"slug": "irn-bio"}, "title", "Réseau biodiversité"),
    ("agreement", {"slug": "cnrs-cas"}, "title", "Accord CNRS–CAS"),
    ("call", {"slug": "nsfc-call"}, "title", "Appel NSFC"),
    ("milestone", {"slug": "visit-2024"}, "title", "Visite"),
]

DRAFTS = [
    ("office", {"slug": "secret-office"}),
    ("network", {"slug": "draft-network"}),
    ("institution", {"slug": "hidden-institution"}),
    ("instrument", {"slug": "draft-instrument"}),
    ("agreement", {"slug": "draft-agreement"}),
    ("call", {"slug": "draft-call"}),
    ("milestone", {"slug": "draft-milestone"}),
]


def utc_text(moment) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def slugs(items, key="slug"):
    return [item[key] for item in items]


@pytest.mark.parametrize(("basename", "key", "expected"), LISTS)
def test_list_shows_the_published_records_in_order(client, catalogue, basename, key, expected):
    response = client.get(reverse(f"api:{basename}-list"))

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert slugs(body["results"], key) == expected
    assert body["count"] == len(expected)
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(("basename", "kwargs", "field", "expected"), DETAILS)
def test_detail_shows_the_record(client, catalogue, basename, kwargs, field, expected):
    url = reverse(f"api:{basename}-detail", kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body[field] == expected
    assert body["url"] == f"http://testserver{url}"


@pytest.mark.parametrize(("basename", "kwargs"), DRAFTS)
def test_detail_of_a_draft_is_not_found(client, catalogue, basename, kwargs):
    response = client.get(reverse(f"api:{basename}-detail", kwargs=kwargs))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(response.json()) == ["detail"]


def test_detail_of_an_unknown_identifier_is_not_found_with_a_json_body(client, catalogue):
    response = client.get(reverse("api:instrument-detail", kwargs={"slug": "nothing"}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("code", ["cn", "CN", "Cn"])
def test_country_detail_accepts_any_case(client, catalogue, code):
    response = client.get(reverse("api:country-detail", kwargs={"iso2": code}))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["iso2"] == "cn"


@pytest.mark.parametrize("code", ["LIA", "lia", "irp"])
def test_kind_detail_finds_the_current_kind_from_a_former_code(client, catalogue, code):
    response = client.get(reverse("api:kind-detail", kwargs={"code": code}))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["code"] == "IRP"
    assert response.json()["legacy_names"] == [
        {"code": "LIA", "name": "Ancien LIA", "replaced_in": None}
    ]


def test_instrument_nests_only_published_relations(client, catalogue):
    response = client.get(reverse("api:instrument-detail", kwargs={"slug": "irn-bio"}))

    body = response.json()
    instrument = Instrument.objects.get(slug="irn-bio")
    assert body["id"] == instrument.pk
    assert body["kind"] == {
        "id": instrument.kind_id,
        "code": "IRN",
        "name": "Réseau international de recherche",
        "url": "http://testserver/api/v1/kinds/IRN/",
        "html_url": "http://testserver/fr/instruments/?kind=IRN",
    }
    assert slugs(body["partners"]) == ["cas"]
    assert slugs(body["networks"]) == ["cnc"]
    assert slugs(body["milestones"]) == ["visit-2024"]
    assert body["successors"] == []
    assert body["office"] == {
        "id": instrument.office_id,
        "slug": "beijing",
        "name": "Bureau de Pékin",
        "city": "Ville",
        "url": "http://testserver/api/v1/offices/beijing/",
        "html_url": "http://testserver/fr/offices/beijing/",
    }
    assert body["agreement"]["slug"] == "cnrs-cas"
    assert body["countries"] == [
        {
            "id": Country.objects.get(code="CN").pk,
            "iso2": "cn",
            "name": "Chine",
            "url": "http://testserver/api/v1/countries/cn/",
            "html_url": "http://testserver/fr/countries/cn/",
        }
    ]
    assert body["themes"] == [
        {
            "id": Theme.objects.get(slug="biodiversity").pk,
            "slug": "biodiversity",
            "name": "Biodiversité",
            "url": "http://testserver/api/v1/themes/biodiversity/",
            "html_url": "http://testserver/fr/instruments/?theme=biodiversity",
        }
    ]
    assert slugs(body["institutes"], "code") == ["INEE"]
    assert body["status"] == "active"
    assert body["html_url"] == "http://testserver/fr/instruments/irn-bio/"


def test_instrument_hides_a_draft_office_agreement_and_predecessor(client, catalogue):
    response = client.get(reverse("api:instrument-detail", kwargs={"slug": "irp-physics"}))

    body = response.json()
    assert body["office"] is None
    assert body["agreement"] is None
    assert body["predecessors"] == []
    assert slugs(body["successors"]) == ["future-irn"]
    assert body["status"] == "ended"


def test_instrument_shows_a_published_predecessor(client, catalogue):
    response = client.get(reverse("api:instrument-detail", kwargs={"slug": "future-irn"}))

    assert slugs(response.json()["predecessors"]) == ["irp-physics"]
    assert response.json()["status"] == "upcoming"


@pytest.mark.parametrize(
    ("basename", "slug", "field", "expected"),
    [
        ("agreement", "cnrs-cas", "parties", ["cas"]),
        ("call", "nsfc-call", "funders", ["nsfc"]),
        ("network", "cnc", "institutions", ["cas"]),
        ("network", "cnc", "nodes", ["irn-bio"]),
        ("milestone", "visit-2024", "agreements", ["cnrs-cas"]),
        ("milestone", "visit-2024", "institutions", ["cas"]),
    ],
)
def test_nested_lists_leave_drafts_out(client, catalogue, basename, slug, field, expected):
    response = client.get(reverse(f"api:{basename}-detail", kwargs={"slug": slug}))

    assert slugs(response.json()[field]) == expected


@pytest.mark.parametrize(
    ("basename", "slug", "field"),
    [("agreement", "cnrs-cas", "office"), ("call", "jsps-call", "agreement")],
)
def test_to_one_relations_to_drafts_are_null(client, catalogue, basename, slug, field):
    response = client.get(reverse(f"api:{basename}-detail", kwargs={"slug": slug}))

    assert response.json()[field] is None


def test_country_lists_the_published_offices_following_it_now(client, catalogue):
    china = client.get(reverse("api:country-detail", kwargs={"iso2": "cn"})).json()
    japan = client.get(reverse("api:country-detail", kwargs={"iso2": "jp"})).json()

    assert slugs(china["offices"]) == ["beijing"]
    assert slugs(japan["offices"]) == ["tokyo"]
    assert china["sector"]["slug"] == "asia-oceania"


def test_sector_lists_its_published_offices_and_countries(client, catalogue):
    response = client.get(reverse("api:sector-detail", kwargs={"slug": "asia-oceania"}))

    assert slugs(response.json()["offices"]) == ["beijing", "tokyo"]
    assert slugs(response.json()["countries"], "iso2") == ["cn", "jp"]


def test_office_lists_its_coverages_with_years(client, catalogue):
    response = client.get(reverse("api:office-detail", kwargs={"slug": "beijing"}))

    coverages = response.json()["coverages"]
    assert [
        (c["country"]["iso2"], c["start_year"], c["end_year"], c["current"]) for c in coverages
    ] == [("cn", None, None, True), ("jp", 2000, 2010, False)]


def test_theme_lists_its_sub_themes(client, catalogue):
    response = client.get(reverse("api:theme-detail", kwargs={"slug": "environment"}))

    assert slugs(response.json()["children"]) == ["biodiversity"]
    assert response.json()["parent"] is None
    assert response.json()["html_url"] == "http://testserver/fr/instruments/?theme=environment"


def test_records_carry_created_and_modified_timestamps(client, catalogue):
    instrument = Instrument.objects.get(slug="irn-bio")

    body = client.get(reverse("api:instrument-detail", kwargs={"slug": "irn-bio"})).json()

    assert body["created"] == utc_text(instrument.created_at)
    assert body["modified"] == utc_text(instrument.updated_at)
    assert body["modified"].endswith("Z")


def test_lang_parameter_chooses_english(client, catalogue):
    response = client.get(
        reverse("api:instrument-detail", kwargs={"slug": "irn-bio"}), {"lang": "en"}
    )

    body = response.json()
    assert response["Content-Language"] == "en"
    assert body["title"] == "Biodiversity network"
    assert body["countries"][0]["name"] == "China"
    assert body["html_url"] == "http://testserver/en/instruments/irn-bio/"


def test_accept_language_chooses_english_and_lang_wins_over_it(client, catalogue):
    url = reverse("api:theme-detail", kwargs={"slug": "physics"})

    english = client.get(url, headers={"accept-language": "en"})
    french = client.get(url, {"lang": "fr"}, headers={"accept-language": "en"})

    assert english.json()["name"] == "Physics"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert french.json()["name"] == "Physique"
    assert french["Content-Language"] == "fr"


def test_french_is_the_default_language(client, catalogue):
    response = client.get(reverse("api:theme-detail", kwargs={"slug": "physics"}))

    assert response.json()["name"] == "Physique"
    assert response["Content-Language"] == "fr"


@pytest.mark.parametrize("url_name", ["api:theme-list", "api:theme-detail"])
def test_unknown_lang_answers_400_naming_it(client, catalogue, url_name):
    kwargs = {"slug": "physics"} if url_name.endswith("detail") else {}

    response = client.get(
        reverse(url_name, kwargs=kwargs), {"lang": "de"}, headers={"accept-language": "en"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"lang": ["Expected one of: fr, en."]}


def test_error_messages_follow_the_language(client, catalogue):
    response = client.get(reverse("api:instrument-list"), {"country": "zz", "lang": "en"})

    assert response.json() == {"country": ["“ZZ” is not a known value for this filter."]}


def test_pages_keep_the_filters_and_count_everything(client, catalogue):
    url = reverse("api:instrument-list")

    first = client.get(url, {"page_size": 2, "country": ["cn", "jp"]}).json()
    second = client.get(url, {"page_size": 2, "country": ["cn", "jp"], "page": 2}).json()

    assert first["count"] == 3
    assert slugs(first["results"]) == ["future-irn", "irn-bio"]
    assert (
        first["next"]
        == "http://testserver/api/v1/instruments/?country=cn&country=jp&page=2&page_size=2"
    )
    assert slugs(second["results"]) == ["irp-physics"]
    assert (
        second["previous"]
        == "http://testserver/api/v1/instruments/?country=cn&country=jp&page_size=2"
    )
    assert second["next"] is None


def test_page_size_goes_up_to_100(client, catalogue):
    kind = KindFactory(code="IRN")
    InstrumentFactory.create_batch(100, kind=kind)

    response = client.get(reverse("api:instrument-list"), {"page_size": 100})

    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert len(body["results"]) == 100
    assert body["count"] == 103
    assert body["next"] == "http://testserver/api/v1/instruments/?page=2&page_size=100"


def test_default_page_size_is_20(client, catalogue):
    InstrumentFactory.create_batch(25, kind=KindFactory(code="IRN"))

    body = client.get(reverse("api:instrument-list")).json()

    assert len(body["results"]) == 20
    assert body["count"] == 28


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": 2}, "page"),
        ({"page": 999999}, "page"),
        ({"page": "last"}, "page"),
        ({"page": "-1"}, "page"),
    ],
)
def test_page_values_that_mean_nothing_answer_400(client, catalogue, params, name):
    response = client.get(reverse("api:instrument-list"), params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [name]


def set_modified(slug, moment):
    Instrument.objects.filter(slug=slug).update(updated_at=moment)


def test_modified_since_lists_only_what_changed_since(client, catalogue):
    Instrument.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    set_modified("irn-bio", datetime.datetime(2024, 6, 1, 10, 0, tzinfo=datetime.UTC))
    set_modified("future-irn", datetime.datetime(2024, 5, 31, 21, 59, tzinfo=datetime.UTC))
    url = reverse("api:instrument-list")

    by_date = client.get(url, {"modified_since": "2024-06-01"}).json()
    by_moment = client.get(url, {"modified_since": "2024-06-01T10:00:00Z"}).json()
    after = client.get(url, {"modified_since": "2024-06-01T10:00:01+00:00"}).json()
    naive = client.get(url, {"modified_since": "2024-06-01T12:00:00"}).json()
    everything = client.get(url, {"modified_since": "2019-12-31"}).json()

    # 2024-06-01 is midnight in Paris: 2024-05-31T22:00Z.
    assert slugs(by_date["results"]) == ["irn-bio"]
    assert slugs(by_moment["results"]) == ["irn-bio"]
    assert slugs(after["results"]) == []
    assert slugs(naive["results"]) == ["irn-bio"]
    assert slugs(everything["results"]) == ["future-irn", "irn-bio", "irp-physics"]


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-06-01T25:00", "0001-01-01", ""])
def test_modified_since_that_is_no_date_answers_400(client, catalogue, value):
    response = client.get(reverse("api:instrument-list"), {"modified_since": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["modified_since"]


def test_cors_allows_reading_from_other_sites(client, catalogue):
    response = client.get(
        reverse("api:instrument-list"), headers={"origin": "https://attache.example.org"}
    )

    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_is_read_only(client, catalogue):
    response = client.post(reverse("api:instrument-list"), {"slug": "new"})

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert Instrument.objects.filter(slug="new").exists() is False


def test_api_root_lists_every_resource(client, db):
    response = client.get(reverse("api:api-root"))

    assert sorted(response.json()) == sorted(
        [
            "sectors",
            "countries",
            "offices",
            "themes",
            "institutes",
            "kinds",
            "networks",
            "institutions",
            "instruments",
            "agreements",
            "calls",
            "milestones",
            "key-figures",
        ]
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v1/instruments/a/b/", "/api/v1/nothing"]
)
def test_unknown_api_addresses_answer_a_json_404(client, db, path):
    response = client.get(path, follow=True)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]


def test_an_api_address_without_its_slash_redirects_to_it(client, db):
    response = client.get("/api/v1/instruments")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/api/v1/instruments/"
