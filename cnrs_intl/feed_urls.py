"""Atom feeds (``feeds:``), under the language prefix: ``/<lang>/feeds/<list>/?<filters>``."""

from django.urls import path

from instruments.feeds import InstrumentFeed
from partnerships.feeds import AgreementFeed, CallFeed, InstitutionFeed

app_name = "feeds"
urlpatterns = [
    path("feeds/instruments/", InstrumentFeed(), name="instruments"),
    path("feeds/partnerships/", AgreementFeed(), name="partnerships"),
    path("feeds/institutions/", InstitutionFeed(), name="institutions"),
    path("feeds/calls/", CallFeed(), name="calls"),
]
