"""A NUL byte or invalid UTF-8 in any admin parameter answers 400, never 500."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.urls import reverse

from tests.admin.helpers import admin_url
from tests.factories import InstrumentFactory

MODELS = [model for model in admin.site._registry if model._meta.app_label != "auth"]
BAD_VALUES = ["%00", "abc%00def", "%FF", "%C3%28", "%ED%A0%80"]


def parameter_names(model) -> list[str]:
    model_admin = admin.site._registry[model]
    names = ["q", "o", "p", "_changelist_filters"]
    for list_filter in model_admin.list_filter:
        if isinstance(list_filter, type) and issubclass(list_filter, SimpleListFilter):
            names.append(list_filter.parameter_name)
        elif isinstance(list_filter, str):
            names.append(f"{list_filter}__exact")
            names.append(f"{list_filter}__id__exact")
    return names


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_list_filter_answers_400_to_a_nul_byte_or_invalid_utf8(admin_client, model):
    url = admin_url(model, "changelist")
    answers = {
        (name, value): admin_client.get(url, QUERY_STRING=f"{name}={value}").status_code
        for name in parameter_names(model)
        for value in BAD_VALUES
    }

    assert {key for key, code in answers.items() if code != HTTPStatus.BAD_REQUEST} == set()
    assert admin_client.get(url, {"q": "ok"}).status_code == HTTPStatus.OK


def test_a_bad_parameter_name_and_other_admin_pages_answer_400(admin_client, db):
    instrument = InstrumentFactory()
    pages = [
        reverse("admin:index"),
        admin_url(type(instrument), "change", instrument.pk),
        admin_url(type(instrument), "history", instrument.pk),
        reverse("admin:autocomplete"),
    ]
    for page in pages:
        assert admin_client.get(page, QUERY_STRING="term=%00").status_code == 400, page
        assert admin_client.get(page, QUERY_STRING="a%FFb=1").status_code == 400, page


def test_posted_fields_with_a_nul_byte_answer_400(admin_client, db):
    instrument = InstrumentFactory()
    url = admin_url(type(instrument), "changelist")

    encoded = admin_client.post(
        url,
        "action=mark_checked&_selected_action=1%00",
        content_type="application/x-www-form-urlencoded",
    )
    multipart = admin_client.post(url, {"action": "mark_checked", "_selected_action": "1\x00"})

    assert encoded.status_code == multipart.status_code == HTTPStatus.BAD_REQUEST


def test_the_public_site_is_not_concerned(client, db):
    # Public lists have their own forgiving filters (a notice, never an error page).
    response = client.get(reverse("instruments:list"), QUERY_STRING="country=%FF")

    assert response.status_code != HTTPStatus.INTERNAL_SERVER_ERROR
