"""``manage.py backup DIR`` then ``manage.py restore DIR`` into an emptied database: every row,
every history entry and every media file comes back identical; a damaged backup restores
nothing."""

import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from instruments.models import Instrument
from tests.factories import InstrumentFactory, OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    tables = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        tables[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return tables


@pytest.fixture
def seeded(db):
    instrument = InstrumentFactory(slug="seeded", title_en="Before")
    instrument.title_en = "After"
    instrument.save()
    OfficeFactory(slug="with-photo")
    default_storage.save("offices/photo.jpg", ContentFile(b"\xff\xd8\xff fake jpeg bytes"))
    default_storage.save("open-data/readme.txt", ContentFile("données ouvertes".encode()))
    return instrument


def test_backup_then_restore_into_an_empty_database_gives_everything_back(seeded, tmp_path):
    before = snapshot()
    assert Instrument.history.filter(slug="seeded").count() == 2
    target = tmp_path / "backup"

    call_command("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    call_command("flush", interactive=False)
    default_storage.delete("offices/photo.jpg")
    default_storage.delete("open-data/readme.txt")
    assert not Instrument.objects.exists()
    call_command("restore", str(target), interactive=False)

    assert snapshot() == before
    assert Instrument.history.filter(slug="seeded").count() == 2
    with default_storage.open("offices/photo.jpg") as handle:
        assert handle.read() == b"\xff\xd8\xff fake jpeg bytes"
    with default_storage.open("open-data/readme.txt") as handle:
        assert handle.read().decode() == "données ouvertes"
    assert set(manifest["files"]) >= {"media/offices/photo.jpg", "media/open-data/readme.txt"}
    assert all(len(digest) == 64 for digest in manifest["files"].values())


def test_a_damaged_backup_restores_nothing(seeded, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target))
    (target / "media/offices/photo.jpg").write_bytes(b"tampered")
    Instrument.objects.filter(slug="seeded").update(slug="changed-since")

    with pytest.raises(CommandError, match="checksum differs"):
        call_command("restore", str(target), interactive=False)

    assert Instrument.objects.filter(slug="changed-since").exists()


def test_backup_refuses_a_folder_in_use(tmp_path, db):
    (tmp_path / "something").write_text("x")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))
