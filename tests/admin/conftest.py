"""Staff accounts in each role, and the offices an office editor is attached to.

The roles (groups) come from the data migration core/0004_roles, which the test database runs.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import (
    CountryFactory,
    CoverageFactory,
    OfficeFactory,
    SectorFactory,
    UserFactory,
)

DERCI, OFFICE_EDITOR, VIEWER = "DERCI editor", "Office editor", "Viewer"


def staff(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user) -> Client:
    """A logged-in browser asking for English, so messages read the same once translated."""
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def asia(db):
    return SectorFactory(slug="asia-oceania", name_fr="Asie–Océanie", name_en="Asia–Oceania")


@pytest.fixture
def europe(db):
    return SectorFactory(slug="europe", name_fr="Europe", name_en="Europe")


@pytest.fixture
def china(asia):
    return CountryFactory(code="CN", sector=asia, name_fr="Chine", name_en="China")


@pytest.fixture
def japan(asia):
    return CountryFactory(code="JP", sector=asia, name_fr="Japon", name_en="Japan")


@pytest.fixture
def own_office(china):
    """The office the office editor works for: Beijing, covering China."""
    office = OfficeFactory(slug="beijing", name_fr="Pékin", name_en="Beijing", country=china)
    CoverageFactory(office=office, country=china)
    return office


@pytest.fixture
def other_office(japan):
    """Another office (Tokyo, covering Japan): out of the office editor's reach."""
    office = OfficeFactory(slug="tokyo", name_fr="Tokyo", name_en="Tokyo", country=japan)
    CoverageFactory(office=office, country=japan)
    return office


@pytest.fixture
def derci_user(db):
    return staff(DERCI, "derci")


@pytest.fixture
def office_editor(own_office):
    user = staff(OFFICE_EDITOR, "beijing-editor")
    own_office.editors.add(user)
    return user


@pytest.fixture
def viewer(db):
    return staff(VIEWER, "viewer")


@pytest.fixture
def derci_client(derci_user):
    return client_for(derci_user)


@pytest.fixture
def office_editor_client(office_editor):
    return client_for(office_editor)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)
