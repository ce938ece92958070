"""Nothing lost on delete: a record others link to is not deleted; a deleted one comes back whole."""

from http import HTTPStatus

import pytest
from django.forms.models import model_to_dict

from core.models import KeyFigure, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Coverage, Office
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.admin.builders import build
from tests.admin.helpers import admin_url
from tests.factories import (
    AgreementFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def theme_linked():
    target = ThemeFactory(slug="ocean")
    AgreementFactory(slug="linker").themes.add(target)
    return target, Agreement, "themes"


def institution_linked():
    target = InstitutionFactory(slug="cnrs")
    AgreementFactory(slug="linker").parties.add(target)
    return target, Agreement, "parties"


def agreement_linked():
    target = AgreementFactory(slug="framework")
    MilestoneFactory(slug="linker").agreements.add(target)
    return target, Milestone, "agreements"


def milestone_linked():
    target = MilestoneFactory(slug="signature")
    InstrumentFactory(slug="linker", kind=KindFactory(code="IRP")).milestones.add(target)
    return target, Instrument, "milestones"


def network_linked():
    target = NetworkFactory(slug="irn")
    InstrumentFactory(slug="linker", kind=KindFactory(code="IRP")).networks.add(target)
    return target, Instrument, "networks"


def office_linked(china):
    target = OfficeFactory(slug="beijing-2", country=china)
    InstitutionFactory(slug="linker").offices_operated.add(target)
    return target, Institution, "offices_operated"


LINKED = {
    "theme": theme_linked,
    "institution": institution_linked,
    "agreement": agreement_linked,
    "milestone": milestone_linked,
    "network": network_linked,
    "office": office_linked,
}


@pytest.mark.parametrize("name", LINKED)
def test_a_record_others_link_to_is_not_deleted_and_the_links_are_listed(
    request, derci_client, name
):
    builder = LINKED[name]
    target, linker_model, field = (
        builder(request.getfixturevalue("china")) if name == "office" else builder()
    )
    model = type(target)
    linker = linker_model.objects.get(slug="linker")
    url = admin_url(model, "delete", target.pk)

    page = derci_client.get(url)
    posted = derci_client.post(url, {"post": "yes"})
    bulk = derci_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"},
    )

    html = page.content.decode()
    assert admin_url(linker_model, "change", linker.pk) in html
    assert 'name="post"' not in html  # no confirmation button: the deletion is refused
    assert posted.status_code == HTTPStatus.OK  # the refusal page again, nothing deleted
    assert bulk.status_code == HTTPStatus.OK
    assert model.objects.filter(pk=target.pk).exists()
    assert list(getattr(linker, field).all()) == [target]


CURATED = [
    Theme,
    KeyFigure,
    Office,
    Coverage,
    Institution,
    Agreement,
    Call,
    Milestone,
    Kind,
    Instrument,
]


def snapshot(obj) -> dict:
    """Every field, many-to-many links as sets of ids, and owned rows (coverage, former names)."""
    data = model_to_dict(obj, fields=[f.name for f in obj._meta.get_fields() if f.concrete])
    for field in obj._meta.many_to_many:
        data[field.name] = set(getattr(obj, field.name).values_list("pk", flat=True))
    for owned in ("coverages", "legacy_names"):
        if hasattr(obj, owned):
            data[owned] = sorted(
                tuple(sorted(model_to_dict(row).items())) for row in getattr(obj, owned).all()
            )
    for key in ("updated_at", "updated_by"):
        data.pop(key, None)
    return data


@pytest.mark.parametrize("model", CURATED, ids=lambda model: model._meta.model_name)
def test_each_curated_record_deleted_then_restored_comes_back_field_by_field(derci_client, model):
    (obj,) = build(model, 1)
    obj = model.objects.get(pk=obj.pk)
    before = snapshot(obj)

    deleted = derci_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert deleted.status_code == HTTPStatus.FOUND, deleted.content.decode()[:2000]
    assert not model.objects.filter(pk=obj.pk).exists()
    record = model.history.filter(history_type="-").latest("history_id")
    restored = derci_client.post(admin_url(model, "undelete", record.history_id))

    assert restored.status_code == HTTPStatus.FOUND
    assert snapshot(model.objects.get(pk=obj.pk)) == before


def test_a_network_with_nodes_is_refused_then_deleted_once_unlinked(derci_client):
    (network,) = build(Network, 1)
    node = Instrument.objects.get(networks=network)

    refused = derci_client.post(admin_url(Network, "delete", network.pk), {"post": "yes"})
    node.networks.clear()
    accepted = derci_client.post(admin_url(Network, "delete", network.pk), {"post": "yes"})

    assert refused.status_code == HTTPStatus.OK
    assert accepted.status_code == HTTPStatus.FOUND
    assert not Network.objects.filter(pk=network.pk).exists()
