"""Each API list runs the same number of queries whatever its length (no query per row)."""

import pytest
from django.urls import reverse

from cnrs_intl.api_urls import router
from tests.factories import (
    AgreementFactory,
    CallFactory,
    InstitutionFactory,
    InstrumentFactory,
    KeyFigureFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
)

MORE = {
    "key-figure": lambda c, n: KeyFigureFactory.create_batch(n, countries="CN"),
    "office": lambda c, n: OfficeFactory.create_batch(n, country=c.china, sector=c.asia),
    "network": lambda c, n: [
        network.countries.set([c.china])
        for network in NetworkFactory.create_batch(n, office=c.beijing)
    ],
    "institution": lambda c, n: InstitutionFactory.create_batch(n, country=c.china, parent=c.cas),
    "instrument": lambda c, n: [
        (i.partners.set([c.cas]), i.networks.set([c.cnc]), i.institutes.set([c.inee]))
        for i in InstrumentFactory.create_batch(
            n,
            kind=c.irn,
            office=c.beijing,
            agreement=c.cnrs_cas,
            predecessors=[c.irn_bio],
            countries=[c.china],
            themes=[c.biodiversity],
        )
    ],
    "agreement": lambda c, n: [
        (a.parties.set([c.cas]), a.countries.set([c.china]), a.themes.set([c.physics]))
        for a in AgreementFactory.create_batch(n, office=c.beijing)
    ],
    "call": lambda c, n: [
        (call.funders.set([c.nsfc]), call.countries.set([c.china]))
        for call in CallFactory.create_batch(n, agreement=c.cnrs_cas, office=c.beijing)
    ],
    "milestone": lambda c, n: [
        (m.agreements.set([c.cnrs_cas]), m.institutions.set([c.cas]), m.countries.set([c.china]))
        for m in MilestoneFactory.create_batch(n)
    ],
}


def listed(client, django_assert_num_queries, basename) -> list[dict]:
    """Every row of the list, on one page, read in exactly the list's number of queries."""
    with django_assert_num_queries(QUERIES[basename]):
        response = client.get(reverse(f"api:{basename}-list"), {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == body["count"]
    return body["results"]


# The catalogue's last change (Last-Modified, one query), the count, the page and one query per
# prefetched relation; a filter's value list is loaded only when its parameter is given.
QUERIES = {
    "sector": 5,
    "country": 4,
    "office": 4,
    "theme": 4,
    "institute": 3,
    "kind": 4,
    "network": 8,
    "institution": 4,
    "instrument": 11,  # predecessors and successors: one prefetch each
    "agreement": 6,
    "call": 6,
    "milestone": 7,
    "key-figure": 4,
}


def test_every_list_has_a_query_count():
    assert sorted(QUERIES) == sorted(basename for _p, _v, basename in router.registry)


@pytest.mark.parametrize("basename", sorted(QUERIES))
def test_list_queries_do_not_grow_with_the_rows(
    client, django_assert_num_queries, catalogue, basename
):
    if basename == "key-figure":
        # The shared catalogue holds no published figure: one to start from.
        KeyFigureFactory(countries="CN")
    few = listed(client, django_assert_num_queries, basename)

    added = MORE.get(basename, lambda c, n: [])(catalogue, 20)
    many = listed(client, django_assert_num_queries, basename)

    assert few
    assert len(many) == len(few) + len(added)
