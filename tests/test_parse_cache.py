"""The parse cache: used only for the same bytes, never trusted to run code; only a document this
fwtui found valid on its own skips validation, and a document merged with an overlay never does."""

from __future__ import annotations

import os
import pickle
import shutil
import tomllib
from pathlib import Path

import pytest

from fwtui import dataset
from helpers import MINIMAL, TESTS


def copy_of(source: Path, folder: Path, name: str = "data.toml") -> Path:
    target = folder / name
    shutil.copyfile(source, target)
    return target


def cache_files() -> list[Path]:
    return sorted(dataset.cache_dir().glob("parsed-*.pickle"))


def refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed the TOML although the cache had it")

    monkeypatch.setattr(tomllib, "loads", no)  # dataset imports it only when it parses


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    first = dataset.load(path, overlay=None)
    assert len(cache_files()) == 1
    refuse_parsing(monkeypatch)
    assert dataset.load(path, overlay=None) == first


def test_a_changed_file_is_parsed_again_even_with_the_same_size(tmp_path):
    path = copy_of(MINIMAL, tmp_path)
    before = dataset.load(path, overlay=None)
    text = path.read_text(encoding="utf-8")
    name = before.frameworks[0].name
    changed = name[:-1] + ("X" if name[-1] != "X" else "Y")
    path.write_text(text.replace(f'name = "{name}"', f'name = "{changed}"', 1), encoding="utf-8")
    assert path.stat().st_size == len(text.encode("utf-8"))
    assert dataset.load(path, overlay=None).frameworks[0].name == changed


@pytest.mark.parametrize("source", ["syntax_error.toml", "missing_fields.toml", "duplicate_framework_id.toml"])
def test_a_broken_file_fails_the_same_way_every_time(tmp_path, source):
    path = copy_of(TESTS / "bad_data" / source, tmp_path)
    messages = []
    for _ in range(3):
        with pytest.raises(dataset.DatasetError) as caught:
            dataset.load(path, overlay=None)
        messages.append(caught.value.render())
    assert messages[0] == messages[1] == messages[2]


def test_escape_codes_are_refused_on_every_load_not_only_the_first(tmp_path):
    document = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))
    path = copy_of(MINIMAL, tmp_path)
    text = path.read_text(encoding="utf-8")
    tagline = document["framework"][0]["tagline"]
    path.write_text(text.replace(f'tagline = "{tagline}"', 'tagline = "clear\\u001b[2Jscreen"', 1), encoding="utf-8")
    for _ in range(3):
        with pytest.raises(dataset.DatasetError, match="control character"):
            dataset.load(path, overlay=None)
    assert len(cache_files()) == 1  # it was cached (it parses), and still refused each time


def test_a_corrupt_cache_file_is_ignored(tmp_path):
    path = copy_of(MINIMAL, tmp_path)
    expected = dataset.load(path, overlay=None)
    for garbage in (b"", b"not a pickle", pickle.dumps(("something", "else")), pickle.dumps(("a", b"b", "c"))):
        cache_files()[0].write_bytes(garbage)
        assert dataset.load(path, overlay=None) == expected


def test_an_entry_for_these_bytes_with_a_document_toml_cannot_make_is_ignored(tmp_path):
    # Right stamp, the file's exact bytes, found valid: only the document's shape gives it away.
    path = copy_of(MINIMAL, tmp_path)
    expected = dataset.load(path, overlay=None)
    raw = path.read_bytes()
    document = tomllib.loads(raw.decode("utf-8"))
    cycle: dict[str, object] = {}
    cycle["self"] = cycle
    shared = {"id": "alpha"}
    for odd in ({**document, "meta": ("a", "tuple")}, {**document, "meta": {1: "a key that is not a string"}},
                {**document, "extra": {"x": None}}, {**document, "extra": {"x": {1, 2}}}, {**document, "extra": cycle},
                {**document, "framework": [shared, shared]}):
        cache_files()[0].write_bytes(pickle.dumps((dataset._CACHE_STAMP, raw, odd, True)))
        assert dataset.load(path, overlay=None) == expected  # parsed from the file instead


def test_a_cache_file_cannot_run_code(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    dataset.load(path, overlay=None)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.mkdir, (str(marker),))

    raw = path.read_bytes()
    cache_files()[0].write_bytes(pickle.dumps((dataset._CACHE_STAMP, raw, {"meta": Payload()}, True)))
    loaded = dataset.load(path, overlay=None)
    assert not marker.exists()
    assert loaded.frameworks  # parsed from the file instead


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(dataset.ENV_CACHE_DIR, str(blocker / "cache"))
    path = copy_of(MINIMAL, tmp_path)
    assert dataset.load(path, overlay=None).frameworks
    assert dataset.load(path, overlay=None).frameworks


def test_overlays_are_cached_and_merged_afresh(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    overlay = tmp_path / "overlay.toml"
    first_id = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))["framework"][0]["id"]
    overlay.write_text(f'[[framework]]\nid = "{first_id}"\ntagline = "From the overlay."\n', encoding="utf-8")
    first = dataset.load(path, overlay=overlay)
    assert len(cache_files()) == 2
    refuse_parsing(monkeypatch)
    again = dataset.load(path, overlay=overlay)
    assert again == first and again.frameworks[0].tagline == "From the overlay."
    assert dataset.load(path, overlay=None).frameworks[0].tagline != "From the overlay."


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    checked: list[object] = []
    real = dataset.check

    def counting(document):
        checked.append(document)
        return real(document)

    monkeypatch.setattr(dataset, "check", counting)
    return checked


def test_a_document_found_valid_is_not_checked_again(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    checked = count_checks(monkeypatch)
    first = dataset.load(path, overlay=None)
    assert len(checked) == 1
    assert dataset.load(path, overlay=None) == first and dataset.load(path, overlay=None) == first
    assert len(checked) == 1


def test_an_entry_kept_before_it_was_checked_is_checked_once(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    dataset.read_toml(path)  # as `fwtui validate` reads it: parsed and kept, not yet checked
    checked = count_checks(monkeypatch)
    for _ in range(3):
        dataset.load(path, overlay=None)
    assert len(checked) == 1


def test_a_document_merged_with_an_overlay_is_checked_on_every_load(tmp_path, monkeypatch):
    path = copy_of(MINIMAL, tmp_path)
    overlay = tmp_path / "overlay.toml"
    first_id = tomllib.loads(MINIMAL.read_text(encoding="utf-8"))["framework"][0]["id"]
    overlay.write_text(f'[[framework]]\nid = "{first_id}"\ntagline = "bad\\u001b[2J"\n', encoding="utf-8")
    dataset.load(path, overlay=None)  # the file alone is valid, and its entry says so
    checked = count_checks(monkeypatch)
    for _ in range(2):
        with pytest.raises(dataset.DatasetError, match="control character"):
            dataset.load(path, overlay=overlay)
    assert len(checked) == 2
