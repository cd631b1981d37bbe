"""Read ruleset test-case files (``<ruleset>/tests/*.yaml``) into checked, located cases.

Everything a case names is checked when the file is read: its keys (with "did you
mean"), its date, its param overrides, the fact types, fields and values of its
expectations, and its given facts (unless the case expects an error). A problem is a
:class:`~oss_rules.errors.Diagnostic` with file:line:col; all of them are raised at
once as a :class:`~oss_rules.errors.RulesetError`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..engine._engine import Engine, ParamError
from ..errors import Diagnostic, FactError, FactsError, FileError, RulesetError, suggest
from ..language._loader import _plain
from ..language._yaml import safe_yaml, yaml_problem
from ..language.syntax import Ruleset, Span
from ..model._text import read_text
from ..model.convert import facts_from_json
from ..model.registry import FactRegistry
from ._cases import ERROR_TYPES, Case, Expected, ExpectedError

FILE_KEYS = ("description", "cases")
CASE_KEYS = (
    "name",
    "description",
    "as_of",
    "params",
    "given",
    "expect",
    "match",
    "absent",
    "expect_error",
)
ERROR_KEYS = ("type", "contains")
MATCHES = ("contains", "exact")
_FACT_PATH = re.compile(r"^\$\.facts\[(\d+)\](?:\.(\w+))?")


EngineFor = Callable[[Mapping[str, Any]], Engine]


def read_cases(files: list[Path], ruleset: Ruleset, engine_for: EngineFor) -> list[Case]:
    """Read and check the cases of ``files``; returns them, or raises listing every problem."""
    reader = _Reader(ruleset, engine_for)
    for file in files:
        reader.read_file(file)
    if reader.diagnostics:
        raise RulesetError(sorted(reader.diagnostics, key=lambda d: (d.file, d.line, d.col)))
    return reader.cases


class _Reader:
    """Reads case files one by one, gathering cases and diagnostics."""

    def __init__(self, ruleset: Ruleset, engine_for: EngineFor) -> None:
        self.ruleset = ruleset
        self.registry: FactRegistry = ruleset.registry
        self.engine_for = engine_for
        self.cases: list[Case] = []
        self.diagnostics: list[Diagnostic] = []
        self.file = ""
        self.lines: list[str] = []

    def problem(self, span: Span, code: str, message: str, hint: str = "") -> None:
        # Like ruleset diagnostics, show the offending line of the file.
        text = self.lines[span.line - 1].strip() if 0 < span.line <= len(self.lines) else ""
        self.diagnostics.append(
            Diagnostic(span.file, span.line, span.col, code, message, hint, text)
        )

    def at(self, line: int, col: int) -> Span:
        return Span(self.file, line + 1, col + 1)

    def key_at(self, node: CommentedMap, key: str) -> Span:
        return self.at(*node.lc.key(key))

    def value_at(self, node: CommentedMap | CommentedSeq, key: Any) -> Span:
        if isinstance(node, CommentedMap):
            return self.at(*node.lc.value(key))
        return self.at(*node.lc.item(key))

    def unknown_keys(self, node: CommentedMap, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.problem(
                    self.key_at(node, key),
                    "OSS203",
                    f"unknown {what} key `{key}`{suggest(str(key), allowed)}",
                    f"allowed keys: {', '.join(allowed)}",
                )

    def read_file(self, path: Path) -> None:
        self.file = str(path)
        try:
            source = read_text(path)
        except FileError as error:
            self.problem(Span(self.file, 1, 1), "OSS201", error.message)
            return
        self.lines = source.splitlines()
        try:
            doc = safe_yaml(dates_as_text=True).load(io.StringIO(source))
        except YAMLError as error:
            line, col, problem = yaml_problem(error, source)
            self.problem(
                Span(self.file, line, col),
                "OSS201",
                f"invalid YAML: {problem}",
                "check indentation and quoting around this place",
            )
            return
        cases = doc.get("cases") if isinstance(doc, CommentedMap) else None
        if not isinstance(cases, CommentedSeq):
            self.problem(
                Span(self.file, 1, 1),
                "OSS202",
                "a test file is a mapping with a `cases:` list",
                "start the file with `cases:` followed by `- name: ...` items",
            )
            return
        self.unknown_keys(doc, FILE_KEYS, "test file")
        names: dict[str, Span] = {}
        for i, node in enumerate(cases):
            if not isinstance(node, CommentedMap):
                self.problem(
                    self.value_at(cases, i),
                    "OSS202",
                    "a case must be a mapping",
                    "write `- name: ...` then `as_of:`, `given:` and `expect:`",
                )
                continue
            case = self.read_case(node)
            if case is None:
                continue
            if case.name in names:
                self.problem(
                    case.span,
                    "OSS205",
                    f"duplicate case name {case.name!r}",
                    f"it is also used at {names[case.name]}; case names are test ids",
                )
                continue
            names[case.name] = case.span
            self.cases.append(case)

    def read_case(self, node: CommentedMap) -> Case | None:
        before = len(self.diagnostics)
        span = self.at(node.lc.line, node.lc.col)
        self.unknown_keys(node, CASE_KEYS, "case")
        for key in ("name", "as_of", "given"):
            if key not in node:
                self.problem(span, "OSS204", f"a case needs `{key}`", _KEY_HINTS[key])
        if not any(k in node for k in ("expect", "absent", "expect_error")):
            self.problem(
                span,
                "OSS204",
                "a case needs `expect`, `absent` or `expect_error`",
                "say what must (or must not) be concluded, or which error is expected",
            )
        if "expect_error" in node and any(k in node for k in ("expect", "absent", "match")):
            self.problem(
                self.key_at(node, "expect_error"),
                "OSS205",
                "`expect_error` cannot be combined with `expect`, `absent` or `match`",
                "a case that expects an error has no conclusions to compare",
            )
        name = node.get("name")
        if "name" in node and (not isinstance(name, str) or not name.strip()):
            self.problem(self.value_at(node, "name"), "OSS205", "`name` must be a non-empty string")
        as_of = self.as_of(node)
        match = node.get("match", "contains")
        if match not in MATCHES:
            self.problem(
                self.value_at(node, "match"),
                "OSS205",
                f"`match` must be contains or exact (got {match!r}){suggest(str(match), MATCHES)}",
            )
        params = self.params(node)
        expect = self.expectations(node, "expect")
        absent = self.expectations(node, "absent")
        error = self.expected_error(node)
        given = self.given(node, check=error is None and "expect_error" not in node)
        if len(self.diagnostics) > before or as_of is None or given is None:
            return None
        return Case(
            ruleset=self.ruleset.id,
            file=self.file,
            name=str(name),
            span=span,
            as_of=as_of,
            given=given,
            params=params,
            expect=expect,
            match=str(match),
            absent=absent,
            expect_error=error,
            description=str(node.get("description", "")),
        )

    def as_of(self, node: CommentedMap) -> dt.date | None:
        value = node.get("as_of")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if "as_of" in node:
            self.problem(
                self.value_at(node, "as_of"),
                "OSS205",
                f"`as_of` must be a date YYYY-MM-DD (got {value!r})",
            )
        return None

    def params(self, node: CommentedMap) -> dict[str, Any]:
        raw = node.get("params")
        if raw is None:
            return {}
        if not isinstance(raw, CommentedMap):
            self.problem(
                self.value_at(node, "params"),
                "OSS206",
                "`params` must be a mapping of param overrides",
                "e.g. params: {high_from: 16}",
            )
            return {}
        params = _plain(raw)
        for name in params:
            try:
                self.engine_for({name: params[name]})
            except ParamError as error:
                self.problem(self.key_at(raw, name), "OSS206", str(error))
        return dict(params)

    def expectations(self, node: CommentedMap, key: str) -> tuple[Expected, ...]:
        items = node.get(key)
        if key not in node:
            return ()
        if not isinstance(items, CommentedSeq):
            self.problem(
                self.value_at(node, key),
                "OSS207",
                f"`{key}` must be a list of partial conclusions",
                "e.g. - {type: Obligation, workplace: w1, module: OSS-II}",
            )
            return ()
        out = []
        for i, item in enumerate(items):
            expected = self.expectation(items, i, item, key)
            if expected is not None:
                out.append(expected)
        return tuple(out)

    def expectation(self, items: CommentedSeq, i: int, item: Any, key: str) -> Expected | None:
        span = self.value_at(items, i)
        if not isinstance(item, CommentedMap) or not isinstance(item.get("type"), str):
            self.problem(
                span,
                "OSS207",
                f"each `{key}` item is a mapping with a `type` and some fields",
                "e.g. - {type: Finding, code: missing_module}",
            )
            return None
        type_name = str(item["type"])
        if type_name not in self.registry:
            self.problem(
                self.value_at(item, "type"),
                "OSS207",
                f"unknown fact type `{type_name}`{suggest(type_name, self.registry.names())}",
                "known types: " + ", ".join(self.registry.names()),
            )
            return None
        info = self.registry[type_name]
        fields: dict[str, Any] = {}
        for name, raw in item.items():
            if name == "type":
                continue
            field = info.field(str(name))
            if field is None:
                self.problem(
                    self.key_at(item, name),
                    "OSS207",
                    f"{type_name} has no field `{name}`{suggest(str(name), info.field_names)}",
                    f"fields: {', '.join(info.field_names)}",
                )
                continue
            value = field.kind.from_json(_plain(raw))
            if not field.kind.check(value):
                self.problem(
                    self.value_at(item, name),
                    "OSS207",
                    f"{type_name} field `{name}` must be {field.kind.expected} "
                    f"(got {_plain(raw)!r}){field.kind.hint(value)}",
                    "an expectation that no fact can match would make the case meaningless",
                )
                continue
            fields[field.name] = value
        return Expected(type_name, fields, span=span)

    def expected_error(self, node: CommentedMap) -> ExpectedError | None:
        if "expect_error" not in node:
            return None
        raw = node["expect_error"]
        if not isinstance(raw, CommentedMap) or not isinstance(raw.get("type"), str):
            self.problem(
                self.value_at(node, "expect_error"),
                "OSS208",
                "`expect_error` is a mapping with `type` and optionally `contains`",
                'e.g. expect_error: {type: FactsError, contains: "severity"}',
            )
            return None
        self.unknown_keys(raw, ERROR_KEYS, "expect_error")
        type_name = str(raw["type"])
        if type_name not in ERROR_TYPES:
            self.problem(
                self.value_at(raw, "type"),
                "OSS208",
                f"unknown error type `{type_name}`{suggest(type_name, ERROR_TYPES)}",
                "one of " + ", ".join(ERROR_TYPES),
            )
            return None
        contains = raw.get("contains", "")
        if not isinstance(contains, str):
            self.problem(self.value_at(raw, "contains"), "OSS208", "`contains` must be a string")
            return None
        return ExpectedError(type_name, str(contains), span=self.value_at(node, "expect_error"))

    def given(self, node: CommentedMap, *, check: bool) -> tuple[Mapping[str, Any], ...] | None:
        items = node.get("given")
        if "given" not in node:
            return None
        if not isinstance(items, CommentedSeq):
            self.problem(
                self.value_at(node, "given"),
                "OSS209",
                "`given` must be a list of facts in the input-file form",
                "e.g. - {type: Workplace, id: w1, sector: retail, setting: office, headcount: 3}",
            )
            return None
        given = tuple(_plain(item) for item in items)
        if not check:
            return given
        try:
            facts_from_json(list(given), self.registry)
        except FactsError as error:
            for problem in error.errors:
                self.problem(
                    self.fact_span(node, items, problem),
                    "OSS209",
                    _without_path(problem),
                    "fix the fact, or use `expect_error` if the case is about invalid input",
                )
            return None
        return given

    def fact_span(self, node: CommentedMap, items: CommentedSeq, problem: FactError) -> Span:
        found = _FACT_PATH.match(problem.path or "")
        if not found:
            return self.value_at(node, "given")
        index, field = int(found.group(1)), found.group(2)
        item = items[index]
        if field and isinstance(item, CommentedMap) and field in item:
            return self.key_at(item, field)
        return self.value_at(items, index)


def _without_path(problem: FactError) -> str:
    text = str(problem)
    found = _FACT_PATH.match(problem.path or "")
    prefix = f"{problem.path}: "
    where = f"given[{found.group(1)}]: " if found else ""
    return where + (text[len(prefix) :] if text.startswith(prefix) else text)


_KEY_HINTS = {
    "name": "add `name: what this case shows`; it is the test id",
    "as_of": "add `as_of: YYYY-MM-DD`, the evaluation date",
    "given": "add `given:` with the input facts, e.g. - {type: Workplace, id: w1, ...}",
}
