"""Institutions found by ROR id (`?ror=`), their name in their own script, every record's id."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import Institution
from tests.factories import InstitutionFactory

CAS_ROR = "034t30j35"


@pytest.fixture
def institutions(db, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    cas = InstitutionFactory(
        slug="cas",
        name_fr="Académie chinoise des sciences",
        name_en="Chinese Academy of Sciences",
        ror_id=CAS_ROR,
        name_native="中国科学院",
        name_native_lang="zh-Hans",
    )
    other = InstitutionFactory(slug="other", ror_id="02feahw73")
    InstitutionFactory(slug="no-ror")
    return cas, other


@pytest.mark.parametrize(
    "value",
    [
        CAS_ROR,
        CAS_ROR.upper(),
        f"https://ror.org/{CAS_ROR}",
        f"http://ror.org/{CAS_ROR}/",
        f"ror.org/{CAS_ROR}",
        f" https://www.ror.org/{CAS_ROR} ",
    ],
)
def test_the_api_finds_an_institution_by_ror_id_or_address(client, institutions, value):
    response = client.get(reverse("api:institution-list"), {"ror": value})

    assert response.status_code == HTTPStatus.OK
    assert [item["slug"] for item in response.json()["results"]] == ["cas"]


@pytest.mark.parametrize(
    "value", ["034t30j3", "ror.org/", "https://example.org/034t30j35", "034t30j35x", "134t30j35"]
)
def test_a_value_that_is_no_ror_id_answers_400_naming_the_parameter(client, institutions, value):
    response = client.get(reverse("api:institution-list"), {"ror": value})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["ror"]
    assert "ROR" in response.json()["ror"][0]


def test_a_well_formed_ror_id_nobody_has_finds_nothing(client, institutions):
    response = client.get(reverse("api:institution-list"), {"ror": "05f82e368"})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 0


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_list_page_finds_by_ror_and_names_a_bad_value(client, institutions, language):
    page = client.get(f"/{language}/institutions/", {"ror": f"https://ror.org/{CAS_ROR}"})

    assert page.status_code == HTTPStatus.OK
    assert [obj.slug for obj in page.context["object_list"]] == ["cas"]

    bad = client.get(f"/{language}/institutions/", {"ror": "not-a-ror"})

    assert bad.status_code == HTTPStatus.OK
    assert {obj.slug for obj in bad.context["object_list"]} == {"cas", "other", "no-ror"}
    notices = " ".join(str(notice) for notice in bad.context["notices"])
    assert "not-a-ror" in notices and "ROR" in notices


def test_the_api_gives_the_native_name_its_language_and_the_id(client, institutions):
    cas, other = institutions

    body = client.get(reverse("api:institution-detail", kwargs={"slug": "cas"})).json()
    plain = client.get(reverse("api:institution-detail", kwargs={"slug": "other"})).json()

    assert body["id"] == cas.pk
    assert (body["name_native"], body["name_native_lang"]) == ("中国科学院", "zh-Hans")
    assert (plain["id"], plain["name_native"], plain["name_native_lang"]) == (other.pk, None, None)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_shows_the_native_name_with_its_lang_and_a_permanent_link(
    client, institutions, language
):
    cas, _other = institutions

    html = client.get(f"/{language}/institutions/cas/").content.decode()

    assert '<p class="record-native-name" lang="zh-Hans">中国科学院</p>' in html
    permalink = f"http://testserver/{language}/r/institution/{cas.pk}/"
    assert f'<a href="{permalink}">{permalink}</a>' in html
    assert client.get(permalink)["Location"] == f"/{language}/institutions/cas/"


@pytest.mark.parametrize(
    ("tag", "normalized"), [("zh-hans", "zh-Hans"), ("ZH-HANT-tw", "zh-Hant-TW"), ("ja", "ja")]
)
def test_a_language_tag_is_validated_and_written_in_its_usual_case(db, tag, normalized):
    institution = InstitutionFactory.build(
        slug="x", name_native="名前", name_native_lang=tag, country=None
    )
    institution.full_clean()

    assert institution.name_native_lang == normalized


@pytest.mark.parametrize(
    ("native", "tag", "field"),
    [
        ("中国科学院", "chinese", "name_native_lang"),
        ("中国科学院", "", "name_native_lang"),
        ("", "zh", "name_native"),
        ("中国科学院", "z", "name_native_lang"),
    ],
)
def test_a_native_name_needs_a_valid_tag_and_a_tag_a_name(db, native, tag, field):
    institution = InstitutionFactory.build(
        slug="x", name_native=native, name_native_lang=tag, country=None
    )

    with pytest.raises(ValidationError) as error:
        institution.full_clean()

    assert field in error.value.message_dict


def test_the_database_refuses_a_name_without_a_tag_or_a_bad_tag(db):
    for native, tag in (("中国科学院", ""), ("中国科学院", "not a tag")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Institution.objects.create(
                slug=f"x-{len(tag)}", name_fr="X", name_native=native, name_native_lang=tag
            )
