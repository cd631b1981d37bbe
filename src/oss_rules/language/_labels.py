"""The header's words for readers: ``internal:`` helper types and ``titles:`` of values.

Neither changes what a ruleset concludes; both change what people see. ``internal`` names
the derived types that are only steps of a proof (a report does not list them as
conclusions, ``explain`` still shows them), ``titles`` gives a human title to values of a
field (``Finding.code: {assessment_predates_hazard: Risk assessment older than a hazard}``)
so that output shows words instead of codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import suggest
from ..model.registry import FactRegistry
from . import syntax as s
from ._positions import _Collector, _key_span, _value_span


class Labels:
    """What the header said under ``internal:`` and ``titles:``, with places for errors."""

    def __init__(self) -> None:
        self.internal: dict[str, s.Span] = {}
        self.titles: dict[str, dict[str, str]] = {}
        self.title_spans: dict[str, s.Span] = {}


def read_labels(doc: CommentedMap, file: str, labels: Labels, out: _Collector) -> None:
    """Read the header's ``internal`` and ``titles`` keys into ``labels``."""
    if "internal" in doc:
        _read_internal(doc, file, labels, out)
    if "titles" in doc:
        _read_titles(doc, file, labels, out)


def _read_internal(doc: CommentedMap, file: str, labels: Labels, out: _Collector) -> None:
    value = doc["internal"]
    if not isinstance(value, CommentedSeq) or not all(isinstance(v, str) for v in value):
        out.add(
            _value_span(doc, "internal", file),
            "OSS080",
            "`internal` must be a list of fact type names",
            "for example `internal: [Due, ModuleReason]`",
        )
        return
    for i, name in enumerate(value):
        labels.internal.setdefault(str(name), _value_span(value, i, file))


def _read_titles(doc: CommentedMap, file: str, labels: Labels, out: _Collector) -> None:
    node = doc["titles"]
    if not isinstance(node, CommentedMap):
        out.add(
            _value_span(doc, "titles", file),
            "OSS081",
            "`titles` must be a mapping of `Type.field` to `value: title` lines",
            "for example `titles: {Finding.code: {stale_assessment: Assessment out of date}}`",
        )
        return
    for key, values in node.items():
        span = _key_span(node, key, file)
        ok = isinstance(values, CommentedMap) and all(
            isinstance(v, str) and v.strip() for v in values.values()
        )
        if not ok:
            out.add(
                span,
                "OSS081",
                f"the titles of `{key}` must be `value: title` lines with a non-empty title",
                f"write `{key}:` then one `value: Title in words` line per value",
            )
            continue
        labels.titles[str(key)] = {str(v): str(t).strip() for v, t in values.items()}
        labels.title_spans[str(key)] = span


def check_labels(
    labels: Labels,
    registry: FactRegistry,
    rules: Iterable[s.Rule | s.Table],
    out: _Collector,
) -> None:
    """Every internal type is one the rules (or tables) derive; every titled field exists."""
    derived = {d.fact_type for rule in rules for d in rule.then}
    for name, span in labels.internal.items():
        if name not in derived:
            known = sorted(derived)
            out.add(
                span,
                "OSS080",
                f"internal type `{name}` is not derived by any rule{suggest(name, known)}",
                "list only types the rules derive: a given fact is never a proof step",
            )
    for key, span in labels.title_spans.items():
        type_name, _, field = key.partition(".")
        if type_name not in registry or not field:
            out.add(
                span,
                "OSS081",
                f"`{key}` does not name a fact type and field"
                f"{suggest(type_name, registry.names())}",
                "write the key as `Type.field`, e.g. `Finding.code`",
            )
        elif registry[type_name].field(field) is None:
            fields = registry[type_name].field_names
            out.add(
                span,
                "OSS081",
                f"{type_name} has no field `{field}`{suggest(field, fields)}",
                f"fields of {type_name}: {', '.join(fields)}",
            )


def titles_of(labels: Labels) -> Mapping[str, Mapping[str, str]]:
    """The titles, keys sorted so that equal headers give equal rulesets."""
    return {k: dict(sorted(v.items())) for k, v in sorted(labels.titles.items())}
