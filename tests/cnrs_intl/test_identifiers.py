"""Identifiers that last: /<lang>/r/<type>/<id>/ finds a record's current page."""

from http import HTTPStatus

import pytest

from core.models import Publishable
from tests.factories import InstitutionFactory, InstrumentFactory


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_record_id_redirects_to_its_current_page_after_a_slug_change(client, db, language):
    instrument = InstrumentFactory(slug="irn-bio")
    instrument.slug = "irn-biodiversity"
    instrument.save()

    response = client.get(f"/{language}/r/instrument/{instrument.pk}/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/{language}/instruments/irn-biodiversity/"


def test_a_record_id_of_a_draft_an_unknown_type_or_a_missing_record_answers_404(client, db):
    draft = InstitutionFactory(status=Publishable.Status.DRAFT)
    public = InstitutionFactory()

    assert client.get(f"/en/r/institution/{draft.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/en/r/nothing/{public.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/en/r/institution/{public.pk + 99}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/en/r/institution/{public.pk}/")["Location"] == (
        f"/en/institutions/{public.slug}/"
    )
