"""Country dossiers of every region read as a real answer: records from the reference data
appear on their country's dossier with their lineage ("grew out of …"), in both languages."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from instruments.models import Instrument

# (country, record, what it grew out of), chosen from fixtures/cooperation/instruments.csv.
LINEAGES = [
    ("jp", "irl-tyl", ["lia-fjppl"]),  # Asia: the Toshiko Yuasa IRL after the LIA FJPPL
    ("sg", "irl-majulab", ["lia-fsql"]),  # Asia: MajuLab after the LIA FSQL
    ("cn", "irn-fcppn", ["lia-fcppl"]),  # Asia: the particle-physics network after FCPPL
    ("mx", "umi-lafmia", ["lia-lafmaa", "lia-lafmi"]),  # Americas: LAFMIA, merged from two LIAs
    ("ca", "irl-lfq", ["lia-lcmq"]),  # Americas: LFQ after the LIA LCMQ
    ("ar", "irl-ifadyfe", ["irp-ivmf"]),  # Americas: IFADyFE after the IRP IVMF
    ("ru", "irl-iscp", ["umi-poncelet"]),  # Europe: ISCP after the UMI Poncelet
]
WORDS = {"en": "grew out of", "fr": "issu de"}


def dossier(client, code, lang):
    with translation.override(lang):
        url = reverse("countries:detail", kwargs={"iso2": code})
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def href(slug, lang):
    with translation.override(lang):
        return Instrument.objects.get(slug=slug).get_absolute_url()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("code", "record", "earlier"), LINEAGES)
def test_a_record_appears_on_its_dossier_with_what_it_grew_out_of(
    client, reference_db, lang, code, record, earlier
):
    html = dossier(client, code, lang)
    link = f'href="{href(record, lang)}"'
    # The record's own entry: the list item whose first link is the record (other entries may
    # name it in their own lineage, "continued as …").
    entries = [item for item in re.findall(r"<li>(.*?)</li>", html, re.S) if link in item]
    own = [item for item in entries if re.search(r'href="([^"]+)"', item).group(0) == link]
    assert own, f"{record} is not listed on /{lang}/…/{code}/"
    lineage = re.search(r'class="card-lineage">(.*?)</p>', own[0], re.S)
    assert lineage, f"{record} has no lineage line on /{lang}/…/{code}/"
    assert WORDS[lang] in lineage.group(1)
    for slug in earlier:
        assert f'href="{href(slug, lang)}"' in lineage.group(1)
