"""Read ruleset YAML (ruamel.yaml, for line numbers) into syntax nodes, reporting every problem."""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..errors import FileError, suggest
from ..model._limits import RANGE_HINT
from ..model._text import read_text
from . import syntax as s
from ._alternatives import is_aggregate, read_when
from ._effective import MALFORMED, WINDOW_KEYS, is_versioned, read_versions, read_window
from ._files import HEADER_FILE as HEADER_FILE
from ._files import ruleset_files as ruleset_files
from ._labels import Labels, read_labels
from ._parser import ParseError, parse_derivation, parse_pattern
from ._positions import _Collector, _key_span, _locator, _node_span, _value_span, mappings
from ._yaml import foreign_tag, numbers_in_range, safe_yaml, yaml_problem

if TYPE_CHECKING:
    from .syntax import Table

HEADER_KEYS = (
    "ruleset",
    "version",
    "title",
    "domains",
    "description",
    "internal",
    "titles",
    "sources",
    "params",
    "rules",
    "tables",
    "properties",
)
RULE_FILE_KEYS = ("description", "rules", "tables")
RULE_KEYS = ("id", "title", "description", "cite", "when", "then", *WINDOW_KEYS)


def _file_error_place(file: Path, error: FileError) -> tuple[int, int]:
    """The line and column of the byte a decoding error points at (1, 1 otherwise)."""
    if error.offset is None:
        return 1, 1
    data = file.read_bytes()
    line = data.count(b"\n", 0, error.offset) + 1
    return line, error.offset - (data.rfind(b"\n", 0, error.offset) + 1) + 1


def _plain(value: Any) -> Any:
    """Turn ruamel containers and scalar subclasses into plain Python values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        # YAML reads 0.24 as a float; the shortest repr is the text written in the file,
        # so the Decimal is exact (the money path never holds a float).
        return Decimal(repr(float(value)))
    return value


class RawRuleset:
    """What the YAML files said, before names are checked against facts and params."""

    def __init__(self) -> None:
        self.id = ""
        self.version = ""
        self.title = ""
        self.domains: tuple[str, ...] | None = None
        self.domains_span = s.Span("?", 1, 1)
        self.sources: dict[str, str] = {}
        self.params: dict[str, Any] = {}
        self.param_spans: dict[str, s.Span] = {}
        self.source_spans: dict[str, s.Span] = {}
        self.rules: list[s.Rule] = []
        # Decision tables: the files' `tables:` nodes, read by _table_reader once every
        # param is known, then the Table nodes.
        self.table_nodes: list[tuple[str, CommentedMap]] = []
        self.tables: list[Table] = []
        self.header_span = s.Span("?", 1, 1)
        self.properties: s.Properties | None = None
        self.labels = Labels()


def read_node(file: Path, key: str) -> Any:
    """The YAML node under ``key`` in ``file`` (with positions), as :func:`read` saw it."""
    return safe_yaml().load(io.StringIO(file.read_text("utf-8")))[key]


def read(path: Path, out: _Collector) -> tuple[RawRuleset, list[Path]]:
    """Read every file of the ruleset at ``path``; problems go to ``out``."""
    raw = RawRuleset()
    files = ruleset_files(path)
    if not files:
        out.add(
            s.Span(str(path), 1, 1),
            "OSS002",
            "no ruleset files found",
            f"create {path / HEADER_FILE} with `ruleset:`, `version:` and `rules:`",
        )
        return raw, files
    if path.is_dir() and files[0].name != HEADER_FILE:
        out.add(
            s.Span(str(path / HEADER_FILE), 1, 1),
            "OSS002",
            f"{HEADER_FILE} is missing",
            "a ruleset directory needs ruleset.yaml with `ruleset:` and `version:`",
        )
    for index, file in enumerate(files):
        name = str(file)
        try:
            source = read_text(file)
            doc = safe_yaml().load(io.StringIO(source))
        except FileError as error:
            out.add(
                s.Span(name, *_file_error_place(file, error)),
                "OSS003",
                error.message,
                "save the file as UTF-8" if error.offset is not None else "give a ruleset file",
            )
            continue
        except YAMLError as error:
            line, col, problem = yaml_problem(error, source)
            out.add(
                s.Span(name, line, col),
                "OSS003",
                f"invalid YAML: {problem}",
                "check indentation and quoting around this place",
            )
            continue
        if not isinstance(doc, CommentedMap):
            out.add(
                s.Span(name, 1, 1),
                "OSS004",
                "a ruleset file must be a mapping",
                "start with `ruleset: <id>` or `rules:`",
            )
            continue
        is_header = index == 0 and (path.is_file() or file.name == HEADER_FILE)
        _read_file(doc, name, is_header, raw, out)
    return raw, files


def _read_file(
    doc: CommentedMap, file: str, header: bool, raw: RawRuleset, out: _Collector
) -> None:
    allowed = HEADER_KEYS if header else RULE_FILE_KEYS
    for key in doc:
        if key not in allowed:
            hint = f"allowed keys: {', '.join(allowed)}"
            if not header and key in HEADER_KEYS:
                hint = f"`{key}` belongs in {HEADER_FILE}"
            out.add(
                _key_span(doc, key, file),
                "OSS005",
                f"unknown key `{key}`{suggest(str(key), allowed)}",
                hint,
            )
    if header:
        raw.header_span = s.Span(file, 1, 1)
        for key in ("ruleset", "version"):
            if key not in doc:
                out.add(
                    raw.header_span,
                    "OSS006",
                    f"missing `{key}`",
                    f"add `{key}: ...` at the top of {file}",
                )
            elif not isinstance(doc[key], str) or not doc[key].strip():
                out.add(
                    _value_span(doc, key, file),
                    "OSS007",
                    f"`{key}` must be a string",
                    'quote it, e.g. version: "1.0.0"',
                )
        raw.id = str(doc.get("ruleset", ""))
        raw.version = str(doc.get("version", ""))
        raw.title = str(doc.get("title", raw.id))
        if "domains" in doc:
            _read_domains(doc, file, raw, out)
        read_labels(doc, file, raw.labels, out)
        _read_mapping(doc, "sources", file, out, raw.sources, raw.source_spans, text_only=True)
        _read_mapping(doc, "params", file, out, raw.params, raw.param_spans, text_only=False)
        if "properties" in doc:
            raw.properties = s.Properties(
                doc["properties"], span=_value_span(doc, "properties", file)
            )
    if "tables" in doc:
        raw.table_nodes.append((file, doc))
    if doc.get("rules") is None:
        return
    example = "write `- id: my-rule` then `when:` and `then:` lists"
    for item in mappings(doc, "rules", file, out, what="rule", example=example):
        raw.rules.extend(_read_rule(item, file, out))


def _read_domains(doc: CommentedMap, file: str, raw: RawRuleset, out: _Collector) -> None:
    value = doc["domains"]
    raw.domains_span = _value_span(doc, "domains", file)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        out.add(
            raw.domains_span,
            "OSS017",
            "`domains` must be a non-empty list of domain names",
            "for example `domains: [oss]`",
        )
        return
    raw.domains = tuple(str(v) for v in value)


def _read_mapping(
    doc: CommentedMap,
    key: str,
    file: str,
    out: _Collector,
    into: dict[str, Any],
    spans: dict[str, s.Span],
    *,
    text_only: bool,
) -> None:
    node = doc.get(key)
    if node is None:
        return
    if not isinstance(node, CommentedMap):
        out.add(
            _value_span(doc, key, file),
            "OSS010",
            f"`{key}` must be a mapping",
            f"write `{key}:` then `name: value` lines",
        )
        return
    for name, value in node.items():
        span = _key_span(node, name, file)
        if text_only and not isinstance(value, str):
            out.add(
                span,
                "OSS011",
                f"source `{name}` must be a citation string",
                'e.g. seed-step2: "Classify risks: ..."',
            )
            continue
        tag = foreign_tag(value)
        if tag is not None:
            out.add(
                _value_span(node, name, file),
                "OSS028",
                f"{'source' if text_only else 'param'} `{name}` carries the YAML tag {tag}",
                "rulesets are data and tags are never run: remove the tag",
            )
            continue
        if not text_only and is_versioned(value):
            versioned = read_versions(str(name), value, file, out, _plain)
            if versioned is not None:
                into[str(name)] = versioned
            spans[str(name)] = span
            continue
        into[str(name)] = _plain(value)
        spans[str(name)] = span
        if not text_only and not numbers_in_range(into[str(name)]):
            out.add(
                _value_span(node, name, file),
                "OSS027",
                f"param `{name}` holds a number that is out of range (or NaN, or infinite)",
                RANGE_HINT.removeprefix("; "),
            )


def _read_rule(item: CommentedMap, file: str, out: _Collector) -> list[s.Rule]:
    """The rule ``item`` as one :class:`~.syntax.Rule` per alternative (see
    :mod:`._alternatives`); none when it is malformed."""
    span = _node_span(item, file)
    ok = True
    for key in item:
        if key not in RULE_KEYS:
            out.add(
                _key_span(item, key, file),
                "OSS012",
                f"unknown rule key `{key}`{suggest(str(key), RULE_KEYS)}",
                f"allowed keys: {', '.join(RULE_KEYS)}",
            )
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        out.add(span, "OSS013", "rule has no `id`", "add `id: a-unique-name`")
        return []
    cite = read_cite(item.get("cite"))
    alternatives: list[tuple[s.Pattern | s.Aggregate, ...]] | None = None
    then: list[s.Derivation] = []
    for key in ("when", "then"):
        node = item.get(key)
        if not isinstance(node, CommentedSeq) or not node:
            where = _value_span(item, key, file) if key in item else span
            out.add(
                where,
                "OSS014",
                f"rule `{rule_id}` needs a non-empty `{key}` list",
                f"write `{key}:` followed by `- ...` items",
            )
            ok = False
            continue
        if key == "when":
            alternatives = read_when(node, file, out)
            ok = ok and alternatives is not None
            continue
        for i in range(len(node)):
            try:
                parsed = _read_derivation(node, i, file, out)
            except ParseError as failure:
                out.diagnostics.append(failure.diagnostic)
                ok = False
                continue
            if parsed is None:
                ok = False
            else:
                then.append(parsed)
    window = read_window(item, str(rule_id), file, out)
    if not ok or window is MALFORMED or alternatives is None:
        return []
    title = str(item.get("title", rule_id))
    count = len(alternatives)
    return [
        s.Rule(
            str(rule_id),
            title,
            cite,
            when,
            tuple(then),
            span=span,
            effective=window if isinstance(window, s.Window) else None,
            alternative=s.Alternative(number, count) if count > 1 else None,
        )
        for number, when in enumerate(alternatives, start=1)
    ]


def read_cite(node: Any) -> tuple[str, ...]:
    """The source ids of a `cite:` value; a number or mapping is a (wrong) id, not a crash."""
    if node is None:
        return ()
    return tuple(str(c) for c in node) if isinstance(node, list) else (str(node),)


def _read_pattern(seq: CommentedSeq, i: int, file: str, out: _Collector) -> s.Pattern | None:
    """A pattern of a table's ``when``, which cannot hold an aggregate."""
    node = seq[i]
    if isinstance(node, CommentedMap) and len(node) == 1:
        ((key, text),) = node.items()
        where = _value_span(node, key, file)
    else:
        key, text, where = None, node, _value_span(seq, i, file)
    if isinstance(text, str) and is_aggregate(text):
        out.add(
            where,
            "OSS015",
            "a table's `when` cannot hold an aggregate",
            "compute the aggregate in a rule that derives a fact, and match that fact here",
        )
        return None
    if isinstance(node, str):
        return parse_pattern(str(node), _locator(node, where))
    if key is not None:
        if not isinstance(text, str):
            out.add(where, "OSS015", "a pattern must be a string", "e.g. h: Hazard(severity >= 4)")
            return None
        pattern = parse_pattern(str(text), _locator(text, where))
        if key == "not":
            return _with(pattern, negated=True)
        return _with(pattern, binding=str(key))
    out.add(
        where,
        "OSS015",
        "each `when` item is `Type(...)`, `name: Type(...)` or `not: Type(...)`",
        "bind the fact to a name to use it later: `h: Hazard()`",
    )
    return None


def _with(pattern: s.Pattern, **changes: Any) -> s.Pattern:
    return attrs.evolve(pattern, **changes)


def _read_derivation(seq: CommentedSeq, i: int, file: str, out: _Collector) -> s.Derivation | None:
    node = seq[i]
    if not isinstance(node, str):
        out.add(
            _value_span(seq, i, file),
            "OSS016",
            "each `then` item is a derivation string",
            'e.g. - Obligation(workplace: w.id, module: "OSS-I")',
        )
        return None
    return parse_derivation(str(node), _locator(node, _value_span(seq, i, file)))
