"""Rules the reference data loader used to hold alone are the models' own: staff breaking one
in the admin get a form error, and nothing is saved."""

from http import HTTPStatus

import pytest

from core.models import KeyFigure
from offices.models import Coverage, Office
from tests.admin.helpers import admin_url, form_data
from tests.factories import CoverageFactory, KeyFigureFactory, KindFactory, OfficeFactory

pytestmark = pytest.mark.django_db

UNKNOWN_COUNT = (
    "Name one of the live counts (offices, institutions, agreements, instruments) or a current "
    "instrument kind as kind:CODE (e.g. kind:IRN)."
)


def post_change(client, obj, **changes):
    url = admin_url(type(obj), "change", obj.pk)
    return client.post(url, form_data(client.get(url), **changes))


@pytest.mark.parametrize("target", ["kind:XYZ", "office", "IRN", "kind:"])
def test_a_key_figure_compared_with_an_unknown_count_is_a_form_error(derci_client, target):
    KindFactory(code="IRN")
    figure = KeyFigureFactory(compare_with="")

    response = post_change(derci_client, figure, compare_with=target)

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["compare_with"] == [UNKNOWN_COUNT]
    figure.refresh_from_db()
    assert figure.compare_with == ""


@pytest.mark.parametrize("target", ["kind:IRN", "offices", ""])
def test_a_key_figure_compared_with_a_live_count_or_a_current_kind_is_saved(derci_client, target):
    KindFactory(code="IRN")
    figure = KeyFigureFactory(compare_with="instruments")

    response = post_change(derci_client, figure, compare_with=target)

    assert response.status_code == HTTPStatus.FOUND
    assert KeyFigure.objects.get(pk=figure.pk).compare_with == target


def host_country_error(response) -> list[str]:
    (coverages,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Coverage
    ]
    return list(coverages.non_form_errors())


def test_deleting_the_row_of_an_offices_host_country_is_refused(derci_client, own_office):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url), **{"coverages-0-DELETE": "on"})

    response = derci_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert host_country_error(response) == [
        "The host country, China, must be among the countries the office covers."
    ]
    assert own_office.coverages.filter(country__code="CN").exists()


def test_an_office_whose_rows_already_leave_out_its_host_country_can_still_be_edited(
    derci_client, china, japan
):
    office = OfficeFactory(slug="beijing", country=china)
    CoverageFactory(office=office, country=japan)

    response = post_change(derci_client, office, address="Nouvelle adresse")

    assert response.status_code == HTTPStatus.FOUND
    office.refresh_from_db()
    assert office.address == "Nouvelle adresse"


def test_an_office_editor_saves_their_office_with_its_rows_read_only(
    office_editor_client, own_office
):
    response = post_change(office_editor_client, own_office, address="New address")

    assert response.status_code == HTTPStatus.FOUND
    assert own_office.coverages.filter(country__code="CN").exists()


def test_moving_an_office_to_another_host_country_needs_a_row_for_that_country(
    derci_client, own_office, japan
):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url), country=str(japan.pk))

    refused = derci_client.post(url, data)
    data.update(
        {
            "coverages-1-office": str(own_office.pk),
            "coverages-1-country": str(japan.pk),
            "coverages-1-start_year": "2024",
            "coverages-TOTAL_FORMS": "2",
        }
    )
    accepted = derci_client.post(url, data)

    assert host_country_error(refused) == [
        "The host country, Japan, must be among the countries the office covers."
    ]
    assert accepted.status_code == HTTPStatus.FOUND
    own_office.refresh_from_db()
    assert own_office.country == japan
    assert set(own_office.coverages.values_list("country__code", flat=True)) == {"CN", "JP"}


def test_a_new_office_without_a_row_for_its_host_country_is_refused(derci_client, china, japan):
    url = admin_url(Office, "add")
    fields = {
        "name_fr": "Séoul",
        "name_en": "Seoul",
        "slug": "seoul",
        "city_fr": "Séoul",
        "city_en": "Seoul",
        "country": str(china.pk),
        "sector": str(china.sector_id),
    }
    data = form_data(derci_client.get(url), **fields)
    data.update(
        {
            "coverages-0-country": str(japan.pk),
            "coverages-TOTAL_FORMS": "1",
        }
    )

    response = derci_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert host_country_error(response) == [
        "The host country, China, must be among the countries the office covers."
    ]
    assert not Office.objects.filter(slug="seoul").exists()
