"""corpora/real: the manifest matches the stored files, every file parses, every repo keeps its license.

The files are third-party code kept byte-for-byte as the search index returned them; the
manifest records where each came from (repository, path, commit) and under which license.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import libcst
import pytest

from migrate_session.notebook import code_cells
from migrate_session.notebook_json import load

REAL = Path(__file__).resolve().parent.parent / "corpora" / "real"
MANIFEST = json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))["files"]
ENTRIES = {entry["file"]: entry for entry in MANIFEST}
KINDS = {"script", "notebook", "server", "library", "test", "example"}
LICENSES = {"MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "ISC", "Unlicense", "CC0-1.0", "MPL-2.0"}


def _text(file: str) -> str:
    return (REAL / "files" / file).read_text(encoding="utf-8")


def test_corpus_is_large_and_varied_enough():
    assert len(MANIFEST) >= 100
    assert len({entry["repo"] for entry in MANIFEST}) >= 30


def test_manifest_is_sorted_and_has_no_duplicates():
    files = [entry["file"] for entry in MANIFEST]
    assert files == sorted(files)
    assert len(files) == len(set(files))


def test_every_stored_file_is_listed():
    stored = {p.relative_to(REAL / "files").as_posix() for p in (REAL / "files").rglob("*") if p.is_file()}
    assert stored == set(ENTRIES)


@pytest.mark.parametrize("file", sorted(ENTRIES))
def test_entry_matches_its_file(file):
    entry = ENTRIES[file]
    owner_repo = entry["repo"].replace("/", "__")
    assert file == f"{owner_repo}/{entry['path'].replace('/', '__')}"
    assert len(entry["commit"]) == 40 and int(entry["commit"], 16) >= 0
    assert entry["kind"] in KINDS
    assert entry["license"] in LICENSES
    assert entry["why"].strip()
    assert hashlib.sha256((REAL / "files" / file).read_bytes()).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("file", sorted(ENTRIES))
def test_file_parses(file):
    text = _text(file)
    if file.endswith(".ipynb"):
        data = load(text)
        assert data["nbformat"] == 4
        cells = [cell for cell in code_cells(data) if cell.python]
        assert cells, "a notebook without Python code cells"
        for cell in cells:
            libcst.parse_module(cell.masked)
    else:
        libcst.parse_module(text)


@pytest.mark.parametrize("repo", sorted({entry["repo"] for entry in MANIFEST}))
def test_every_repo_has_its_license_stored(repo):
    entries = [entry for entry in MANIFEST if entry["repo"] == repo]
    assert len({(e["license"], e["license_file"]) for e in entries}) == 1
    text = (REAL / "licenses" / f"{repo.replace('/', '__')}.txt").read_text(encoding="utf-8")
    assert text.strip()


def test_no_license_file_without_files():
    stored = {p.stem for p in (REAL / "licenses").glob("*.txt")}
    assert stored == {entry["repo"].replace("/", "__") for entry in MANIFEST}
