"""The house rules of docs/architecture.md, read from the code's own imports.

Every module's imports of oss_rules modules (at any depth, TYPE_CHECKING ones included)
form a graph; it must have no cycle, and no module may import one of a later stage.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "oss_rules"

# Stage of each module, by the longest matching prefix of its dotted name. A module may
# import modules of its own stage or an earlier one.
STAGES: dict[str, int] = {
    "errors": 0,
    "_messages": 0,  # how the errors word things: "did you mean", counts, long values
    "_untrusted": 0,  # text made harmless where it is shown (CSV cells, terminals)
    "_lazy": 0,  # the packages' public names, imported on first use
    "model": 1,
    "domains": 2,  # the domain table and the domains' fact types
    "language": 3,
    "engine": 4,
    "domains.oss.views": 5,
    "domains.oss._load": 5,  # load_default, typed by views
    "domains.oss.alerts": 5,
    "domains.oss.registration": 5,
    "domains.oss._submission_checks": 5,
    "domains.oss._submission_lookup": 5,
    "domains.oss._submission_duties": 5,
    "domains.bpjstk.payroll": 5,
    "batch": 5,  # evaluate_many's machinery: files, worker processes, Dask
    "authoring": 6,
    "verify": 6,
    "report": 6,
    "cli": 7,
    "__init__": 8,
    "_legacy": 8,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _stage(module: str) -> int:
    best = max((p for p in STAGES if module == p or module.startswith(p + ".")), key=len)
    return STAGES[best]


def _imports(module: str, path: Path) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    here = module.split(".") if module != "__init__" else []
    package = here if is_package else here[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("oss_rules"):
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                candidate = ".".join([*target, alias.name])
                yield candidate if candidate in MODULES else ".".join(target) or "__init__"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("oss_rules."):
                    yield alias.name.removeprefix("oss_rules.")


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        graph[module] = {m for m in _imports(module, path) if m in MODULES and m != module}
    return graph


GRAPH = _graph()


def test_every_module_has_a_stage():
    """Each module falls under one of the stages the architecture names."""
    for module in MODULES:
        assert any(module == p or module.startswith(p + ".") for p in STAGES), module


def test_no_import_cycles():
    """The import graph of the package has no cycle."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if target.startswith(module + ".") or module.startswith(target + "."):
                continue  # a package and its own modules
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_no_stage_imports_a_later_one():
    """A module imports only modules of its own stage or an earlier one."""
    upward = [
        f"{m} (stage {_stage(m)}) imports {t} (stage {_stage(t)})"
        for m, targets in GRAPH.items()
        for t in targets
        if _stage(t) > _stage(m)
    ]
    assert upward == []


def test_the_engine_and_model_name_no_domain():
    """Nothing in model/, language/ or engine/ imports a domain's module: they find
    domains by name."""
    leaks = [
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        if m.split(".")[0] in {"model", "engine"}
        for t in targets
        if t.startswith("domains")
    ]
    assert leaks == []
