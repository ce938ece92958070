"""Backups that restore: the database (PostgreSQL by ``pg_dump -Fc``, SQLite by its backup API),
the media files, and a manifest with every file's SHA-256 (``manage.py backup DIR`` /
``manage.py restore DIR``). A restore checks every checksum before it touches anything."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections

MANIFEST = "manifest.json"
MEDIA_DIR = "media"
FORMAT_VERSION = 1


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _database_file() -> str:
    return "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"


def dump_database(target: Path) -> None:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        _run(
            ["pg_dump", "-Fc", "--no-owner", "--no-acl", "-f", str(target), db["NAME"]],
            _pg_env(db),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise CommandError(f"No backup method for the {connection.vendor} database.")


def load_database(source: Path) -> None:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                "-d",
                db["NAME"],
                str(source),
            ],
            _pg_env(db),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
    else:
        raise CommandError(f"No restore method for the {connection.vendor} database.")


def backup(directory: Path) -> dict:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise CommandError(f"{directory} is not empty: back up into a new folder.")
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / _database_file()
    dump_database(database)
    media_root = Path(settings.MEDIA_ROOT)
    media_copy = directory / MEDIA_DIR
    media_copy.mkdir()
    if media_root.is_dir():
        shutil.copytree(media_root, media_copy, dirs_exist_ok=True)
    files = {
        path.relative_to(directory).as_posix(): sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "file": database.name},
        "media": MEDIA_DIR,
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def verify(directory: Path) -> dict:
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"No readable {MANIFEST} in {directory}: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
    problems = []
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256(path) != expected:
            problems.append(f"{name}: checksum differs")
    listed = set(manifest["files"])
    for path in directory.rglob("*"):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and name != MANIFEST and name not in listed:
            problems.append(f"{name}: not in the manifest")
    if problems:
        raise CommandError("The backup is damaged, nothing restored: " + "; ".join(problems))
    if manifest["database"]["vendor"] != connection.vendor:
        raise CommandError(
            f"This backup is of a {manifest['database']['vendor']} database; "
            f"the configured one is {connection.vendor}."
        )
    return manifest


def restore(directory: Path) -> dict:
    directory = Path(directory)
    manifest = verify(directory)
    load_database(directory / manifest["database"]["file"])
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(directory / manifest["media"], media_root, dirs_exist_ok=True)
    return manifest
