"""What loads when: ``import oss_rules`` and a cached ``load_default()`` import the rule
language and the OSS fact types, and nothing of the engine, the converter or the tools.

The packages' public names are imported on first use (``oss_rules/_lazy.py``); these tests
hold that structure, never a time: an eager import added anywhere on the path of
``import oss_rules`` shows up here as a module that should not be in ``sys.modules``.
``bench/bench_load.py`` measures what the structure buys.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import oss_rules

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "oss_rules"

NOT_FOR_LOADING = (
    "oss_rules.engine",
    "oss_rules.engine._compiled",
    "oss_rules.model.convert",
    "oss_rules.report",
    "oss_rules.cli",
    "oss_rules.batch",
    "oss_rules.authoring",
    "oss_rules.verify",
    "oss_rules.domains.k3.facts",
    "oss_rules.domains.bpjstk.facts",
    "durable_rules_engine",
    "cattrs",
    "rich",
    "click",
    "hypothesis",
    "ruamel",
    "lark",
    "importlib.metadata",
)
"""Modules that ``import oss_rules; oss_rules.load_default()`` (cache warm) must not import."""


def _imported(code: str, candidates: tuple[str, ...]) -> list[str]:
    """Which of ``candidates`` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {candidates!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return ast.literal_eval(out.stdout)


def test_loading_the_default_ruleset_imports_no_engine_converter_or_tool():
    """A cached ``load_default()`` after ``import oss_rules`` imports none of the engine,
    cattrs, the other domains' fact types, the report, the CLI or their libraries."""
    oss_rules.load_default()  # fills the cache the subprocess reads (conftest's directory)
    loaded = _imported(
        "import oss_rules\noss_rules.load_default()", (*NOT_FOR_LOADING, "oss_rules.language")
    )
    assert loaded == ["oss_rules.language"]


def test_the_default_backend_does_not_import_the_compiled_one():
    """Evaluating on durable-rules imports neither the compiled backend nor cattrs; asking
    for ``backend="compiled"`` imports it."""
    evaluate = textwrap.dedent(
        """\
        import datetime as dt
        import oss_rules
        engine = oss_rules.Engine(oss_rules.load_default(), backend={backend!r})
        workplace = oss_rules.Workplace(id="w", sector="retail", setting="office", headcount=4)
        assert engine.evaluate([workplace], as_of=dt.date(2026, 6, 30)).obligations
        """
    )
    watched = ("oss_rules.engine._compiled", "cattrs", "oss_rules.report", "oss_rules.cli")
    assert _imported(evaluate.format(backend="durable"), watched) == []
    assert _imported(evaluate.format(backend="compiled"), watched) == ["oss_rules.engine._compiled"]


def _type_checking_imports(init: Path) -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in a package's __init__."""
    package = ".".join(("oss_rules", *init.parent.relative_to(PACKAGE).parts))
    names = {}
    for node in ast.parse(init.read_text("utf-8")).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for item in node.body:
                assert isinstance(item, ast.ImportFrom), ast.unparse(item)
                base = package.rsplit(".", item.level - 1)[0] if item.level > 1 else package
                for alias in item.names:
                    names[alias.name] = f"{base}.{item.module}"
    return names


@pytest.mark.parametrize("package", ["oss_rules", "oss_rules.engine", "oss_rules.model"])
def test_type_checkers_see_the_names_the_package_gives(package: str):
    """Each name a lazy package lists in ``__all__`` is imported under TYPE_CHECKING (what
    mypy and IDEs see), and at run time is that very object; ``dir()`` lists it."""
    module = importlib.import_module(package)
    assert module.__file__ is not None
    seen = _type_checking_imports(Path(module.__file__))
    assert sorted(seen) == sorted(module.__all__)
    for name, home in seen.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name), name
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        module.Nope  # noqa: B018


def test_from_import_of_a_lazy_name_works_in_a_fresh_process():
    """``from oss_rules import Engine`` imports the engine then, and not before."""
    code = (
        "import sys, oss_rules\nassert 'oss_rules.engine' not in sys.modules\n"
        "from oss_rules import Engine, Result\nfrom oss_rules.engine import Proof"
    )
    assert _imported(code, ("oss_rules.engine._engine", "oss_rules.engine.result")) == [
        "oss_rules.engine._engine",
        "oss_rules.engine.result",
    ]


def test_the_load_benchmark_runs():
    """``bench/bench_load.py --runs 1 --json`` exits 0 and reports each step (no time is
    asserted)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_load.py"), "--runs", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    for key in ("pass_process_ms", "import_cpu_ms", "load_cpu_ms", "total_over_pass"):
        assert report[key] > 0, key
