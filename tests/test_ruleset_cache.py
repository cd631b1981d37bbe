"""The on-disk cache of checked rulesets: hits, misses, damage and the opt-out."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import oss_rules
from oss_rules import language
from oss_rules.errors import RulesetError
from oss_rules.language import _cache, shipped_rulesets
from oss_rules.model.domain import shipped_registry
from oss_rules.verify import _declared

RULESET = """\
ruleset: cached
version: "1"
sources:
  s: "a source"
params:
  limit: 3
rules:
  - id: big
    cite: s
    when:
      - h: Hazard(likelihood >= limit)
    then:
      - 'Obligation(workplace: h.workplace, module: "OSS-II")'
"""


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of this test."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(_cache.NO_CACHE_ENV, raising=False)
    return directory


def write(tmp_path: Path, text: str = RULESET) -> Path:
    root = tmp_path / "rules"
    root.mkdir(exist_ok=True)
    (root / "ruleset.yaml").write_text(text, "utf-8")
    return root


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.pickle")) if directory.exists() else []


def refuse_to_read_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(root: Path, registry: object) -> None:
        raise AssertionError(f"{root} was read from its files")

    monkeypatch.setattr(language, "_load_files", fail)


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second load of unchanged files reads no YAML and gives the same ruleset."""
    root = write(tmp_path)
    fresh = oss_rules.load(root)
    assert len(entries(cache)) == 1
    refuse_to_read_files(monkeypatch)
    cached = oss_rules.load(root)
    assert cached == fresh
    assert cached.rules == fresh.rules and cached.params == fresh.params
    assert cached.digest == fresh.digest and cached.path == fresh.path
    assert cached.param_spans == fresh.param_spans


def test_the_default_ruleset_from_the_cache_is_the_same_in_every_part(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables, spans, sources and the declared properties survive the cache."""
    fresh = oss_rules.load_default()
    refuse_to_read_files(monkeypatch)
    cached = oss_rules.load_default()
    assert cached.registry.names() == fresh.registry.names()
    for field in attrs.fields(type(fresh)):
        if field.name not in ("registry", "properties"):
            assert getattr(cached, field.name) == getattr(fresh, field.name), field.name
    assert [r.span for r in cached.rules] == [r.span for r in fresh.rules]
    assert cached.properties is not None and fresh.properties is not None
    assert cached.properties.span == fresh.properties.span
    assert _declared.read(cached) == _declared.read(fresh)


def test_an_engine_of_a_cached_ruleset_evaluates_like_one_of_a_fresh_ruleset(
    cache: Path,
) -> None:
    """Same result JSON from an engine built on the cached ruleset."""
    from conftest import AS_OF, hazard, workplace

    facts = [workplace(), hazard(likelihood=5, severity=5)]
    fresh = oss_rules.Engine(oss_rules.load_default()).evaluate(facts, as_of=AS_OF)
    cached = oss_rules.Engine(oss_rules.load_default()).evaluate(facts, as_of=AS_OF)
    assert cached.to_json() == fresh.to_json()


def test_a_changed_file_is_read_again(tmp_path: Path, cache: Path) -> None:
    """The key is the files' digest: an edit is a miss, never a stale ruleset."""
    root = write(tmp_path)
    assert oss_rules.load(root).params["limit"] == 3
    write(tmp_path, RULESET.replace("limit: 3", "limit: 4"))
    assert oss_rules.load(root).params["limit"] == 4
    assert len(entries(cache)) == 2


def test_another_registry_is_another_entry(tmp_path: Path, cache: Path) -> None:
    """A ruleset checked against other fact types is not reused for these."""
    root = write(tmp_path)
    oss_rules.load(root)

    @attrs.frozen
    class Contractor:
        id: str

    registry = shipped_registry()
    registry.register(Contractor)
    ruleset = oss_rules.load(root, registry=registry)
    assert ruleset.registry is registry
    assert len(entries(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage",
        _cache._FORMAT + b"\x80\x05truncated",
        _cache._FORMAT + pickle.dumps(("another key", {"digest": "x"})),
        _cache._FORMAT + pickle.dumps(["not", "a", "tuple"]),
    ],
    ids=["empty", "garbage", "truncated", "other-key", "wrong-shape"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    tmp_path: Path, cache: Path, damage: bytes
) -> None:
    """Whatever is in an entry, loading still gives the ruleset of the files."""
    root = write(tmp_path)
    fresh = oss_rules.load(root)
    (entry,) = entries(cache)
    entry.write_bytes(damage)
    assert oss_rules.load(root) == fresh
    assert entry.read_bytes().startswith(_cache._FORMAT)
    assert entry.read_bytes() != damage


def test_the_opt_out_writes_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OSS_RULES_NO_CACHE=1 loads from the files every time."""
    monkeypatch.setenv(_cache.NO_CACHE_ENV, "1")
    root = write(tmp_path)
    oss_rules.load(root)
    oss_rules.load(root)
    assert not cache.exists()


def test_the_cache_lives_under_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without OSS_RULES_CACHE_DIR the entries go to $XDG_CACHE_HOME/oss_rules."""
    monkeypatch.delenv(_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv(_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "oss_rules"
    oss_rules.load(write(tmp_path))
    assert len(entries(tmp_path / "xdg" / "oss_rules")) == 1


def test_an_unwritable_cache_does_not_stop_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file where the cache directory should be: the ruleset still loads."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    assert oss_rules.load(write(tmp_path)).id == "cached"


def test_a_bad_ruleset_is_never_cached(tmp_path: Path, cache: Path) -> None:
    """Every load of a broken ruleset reports its problems."""
    root = write(tmp_path, RULESET.replace("Hazard(", "Hazzard("))
    for _ in range(2):
        with pytest.raises(RulesetError, match="Hazzard"):
            oss_rules.load(root)
    assert entries(cache) == []


def test_a_moved_ruleset_is_another_entry(tmp_path: Path, cache: Path) -> None:
    """Positions name the files: a copy elsewhere is loaded with its own paths."""
    root = write(tmp_path)
    oss_rules.load(root)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    ruleset = oss_rules.load(copy)
    assert ruleset.rules[0].span.file == str(copy / "ruleset.yaml")


def test_positions_keep_the_path_as_the_caller_gave_it(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same files named by a relative and an absolute path: each keeps its own spans."""
    root = write(tmp_path)
    monkeypatch.chdir(tmp_path)
    relative = oss_rules.load(Path("rules"))
    absolute = oss_rules.load(root)
    again = oss_rules.load(Path("rules"))
    assert relative.rules[0].span.file == str(Path("rules") / "ruleset.yaml")
    assert absolute.rules[0].span.file == str(root / "ruleset.yaml")
    assert again.rules[0].span.file == relative.rules[0].span.file
    assert len(entries(cache)) == 2


def test_a_cached_load_imports_neither_yaml_nor_the_parser(cache: Path) -> None:
    """import oss_rules + a cached load_default() leave ruamel.yaml and lark unimported."""
    oss_rules.load_default()  # fills the cache
    code = (
        "import sys, oss_rules; oss_rules.load_default(); "
        "print(sorted(m for m in ('ruamel', 'lark', 'importlib.metadata') if m in sys.modules))"
    )
    env = {**os.environ, _cache.CACHE_DIR_ENV: str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    assert len(entries(cache)) == 1
    assert all(path.is_dir() for path in shipped_rulesets().values())
