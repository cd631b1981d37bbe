"""A proof in words: the rule that decided a conclusion, the facts that decided it and
what was absent, as plain text for people (no markup), shared by the audit report and
the terminal.

A proof tree (:meth:`oss_rules.Result.explain`) names facts as ``Type(field=value)`` and
absences as ``no Type(field == value)``: exact, but engine notation. Here each becomes a
sentence part: ``hazard ws-press: category machinery, likelihood 3, severity 4`` and
``no declared module with workplace depot and module OSS-II``. Helper facts that are
only steps of a proof (a ruleset's internal kinds) are not shown as steps: their own
premises, absences and citations are lifted into the step that used them.

>>> import datetime as dt
>>> import oss_rules
>>> engine = oss_rules.Engine(oss_rules.load_default())
>>> result = engine.evaluate(
...     [oss_rules.Workplace(id="w1", sector="retail", setting="office", headcount=3)],
...     as_of=dt.date(2026, 6, 30),
... )
>>> step = explain_in_words(result, result.obligations[0])
>>> step.conclusion
'obligation: workplace w1, module OSS-I'
>>> step.facts
('workplace w1: sector retail, setting office, headcount 3',)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..engine.result import Proof, Result
from ..model._fields import show_value

__all__ = [
    "Step",
    "Titles",
    "absence_words",
    "explain_in_words",
    "fact_words",
    "kind_words",
    "render_step",
    "titles_from",
]

Titles = Callable[[str, str, object], "str | None"]
"""``(kind, field, value) -> title or None``: the human name a ruleset gives a value
(``Finding``, ``code``, ``"missing_module"`` -> ``"Required module not declared"``)."""


def _no_titles(_kind: str, _field: str, _value: object) -> str | None:
    return None


def titles_from(table: Mapping[str, Mapping[str, str]]) -> Titles:
    """A :data:`Titles` reading ``table["Kind.field"][str(value)]``."""

    def title(kind: str, field: str, value: object) -> str | None:
        return table.get(f"{kind}.{field}", {}).get(str(value))

    return title


@attrs.frozen
class Step:
    """One conclusion in words: the rule that gave it and why.

    ``facts`` are the given facts that decided it, ``absent`` what had to be missing,
    ``cites`` the source ids of the rules used (here and in lifted helper steps), and
    ``steps`` the derived premises, each explained in turn. ``rule`` is ``None`` for a
    fact that was given.
    """

    conclusion: str
    rule: str | None
    title: str
    facts: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()

    def all_cites(self) -> tuple[str, ...]:
        """The source ids cited here and in every step below, each once, top first."""
        seen: dict[str, None] = dict.fromkeys(self.cites)
        for step in self.steps:
            seen.update(dict.fromkeys(step.all_cites()))
        return tuple(seen)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def kind_words(kind: str) -> str:
    """A fact type's name in words: ``DeclaredModule`` -> ``declared module``,
    ``K3Requirement`` -> ``K3 requirement``."""
    words = _CAMEL.split(kind)
    return " ".join(w.lower() if w[1:].islower() or len(w) == 1 else w for w in words)


def _field_words(name: str) -> str:
    return name.replace("_", " ")


def _value(kind: str, field: str, value: Any, titles: Titles) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_value(kind, field, v, titles) for v in value)
    return titles(kind, field, value) or show_value(value, quoted=False)


def fact_words(fact: Any, titles: Titles = _no_titles, *, skip: Iterable[str] = ()) -> str:
    """A fact in words: its kind and id, then its other set fields.

    ``hazard ws-press: workplace ws-1, category machinery, likelihood 3``; fields whose
    value is null or empty are left out, and so are those named in ``skip``.
    """
    kind = type(fact).__name__
    names = [a.name for a in attrs.fields(type(fact))] if attrs.has(type(fact)) else []
    left_out = set(skip)
    head = kind_words(kind)
    ident = getattr(fact, "id", None) if "id" in names else None
    if ident is not None:
        head += f" {ident}"
    parts = []
    for name in names:
        value = getattr(fact, name)
        if name == "id" or name in left_out or value is None or value in ("", ()):
            continue
        parts.append(f"{_field_words(name)} {_value(kind, name, value, titles)}")
    return f"{head}: {', '.join(parts)}" if parts else head


# --- absences: the engine writes them as `no Type(field op literal, ...)` -----------

_OPS = ("not in", "==", "!=", "<=", ">=", "<", ">", "in")
_ORDER_WORDS = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}
_TIME_WORDS = {"<": "before", "<=": "on or before", ">": "after", ">=": "on or after"}
_ATOM = re.compile(r"-?\d+(?:\.\d+)?|null|true|false")
_DATE = re.compile(r'(?:date|moment)\("(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?)"\)')
_NAME = re.compile(r"[A-Za-z_?][A-Za-z0-9_]*")
_DECODER = json.JSONDecoder()


class _UnreadableError(ValueError):
    """The text is not in the form the engine writes absences in."""


def _literal(text: str, at: int) -> tuple[Any, int, bool]:
    """The literal at ``text[at:]``: (value, end, whether it is a date or text)."""
    if text.startswith('"', at):
        value, end = _DECODER.raw_decode(text, at)
        return value, end, True
    if text.startswith("[", at):
        items: list[Any] = []
        at += 1
        while not text.startswith("]", at):
            item, at, _ = _literal(text, at)
            items.append(item)
            if text.startswith(", ", at):
                at += 2
        return tuple(items), at + 1, False
    date = _DATE.match(text, at)
    if date:
        return date.group(1), date.end(), True
    atom = _ATOM.match(text, at)
    if not atom:
        raise _UnreadableError(text)
    word = atom.group()
    value = {"null": None, "true": True, "false": False}.get(word, word)
    return value, atom.end(), False


def _condition(kind: str, field: str, op: str, value: Any, timeish: bool, titles: Titles) -> str:
    shown = _value(kind, field, value, titles)
    name = _field_words(field)
    if op == "==":
        return f"{name} {shown}" if value is not None else f"no {name}"
    if op == "!=":
        return f"{name} other than {shown}" if value is not None else f"a {name}"
    if op in ("in", "not in"):
        items = [_value(kind, field, v, titles) for v in value]
        joined = " or ".join(items) if op == "in" else ", ".join(items)
        return f"{name} {joined}" if op == "in" else f"{name} none of {joined}"
    words = _TIME_WORDS if timeish else _ORDER_WORDS
    return f"{name} {words[op]} {shown}"


def _parse_absence(text: str, titles: Titles) -> str:
    if not text.startswith("no "):
        raise _UnreadableError(text)
    name = _NAME.match(text, 3)
    if not name or not text.startswith("(", name.end()) or not text.endswith(")"):
        raise _UnreadableError(text)
    kind = name.group()
    at = name.end() + 1
    parts = []
    while at < len(text) - 1:
        field = _NAME.match(text, at)
        if not field:
            raise _UnreadableError(text)
        at = field.end() + 1
        op = next((o for o in _OPS if text.startswith(o + " ", at)), None)
        if op is None:
            raise _UnreadableError(text)
        value, at, timeish = _literal(text, at + len(op) + 1)
        parts.append(_condition(kind, field.group(), op, value, timeish, titles))
        if text.startswith(", ", at):
            at += 2
    if at != len(text) - 1:
        raise _UnreadableError(text)
    joined = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
    return f"no {kind_words(kind)}" + (f" with {joined}" if joined else "")


def absence_words(text: str, titles: Titles = _no_titles) -> str:
    """An absence of a proof in words: ``no DeclaredModule(workplace == "d", module ==
    "OSS-I")`` -> ``no declared module with workplace d and module OSS-I``.

    Text in another form is returned as it is.
    """
    try:
        return _parse_absence(text, titles)
    except (_UnreadableError, ValueError, IndexError):
        return text


def absence_kind(text: str) -> str | None:
    """The fact type an absence is about (``no Type(...)``), or ``None``."""
    name = _NAME.match(text, 3) if text.startswith("no ") else None
    return name.group() if name else None


# --- proofs -------------------------------------------------------------------------


def explain_in_words(
    result: Result,
    conclusion: Any,
    *,
    internal: frozenset[str] = frozenset(),
    titles: Titles = _no_titles,
    describe: Callable[[Any], str] | None = None,
) -> Step:
    """The proof of ``conclusion`` in words; helper facts of the ``internal`` kinds are
    not steps of their own (their premises, absences and citations are lifted into the
    step that used them). An absence of an internal kind is left out when the same rule
    also matched a fact of that kind: it only says that the rule picked the top one.

    ``describe`` renders a fact (by default :func:`fact_words` with ``titles``); a
    caller explaining many conclusions may pass a memoised one.
    """
    words = describe or (lambda fact: fact_words(fact, titles))
    return _step(result.explain(conclusion), result, internal, titles, words)


def _step(
    proof: Proof,
    result: Result,
    internal: frozenset[str],
    titles: Titles,
    words: Callable[[Any], str],
) -> Step:
    conclusion = words(proof.fact)
    if proof.rule is None:
        return Step(conclusion, None, "given")
    facts: dict[str, None] = {}
    absent: dict[str, None] = {}
    cites: dict[str, None] = {}
    steps: list[Step] = []
    _gather(proof, result, internal, titles, words, facts, absent, cites, steps)
    return Step(
        conclusion, proof.rule, proof.title, tuple(facts), tuple(absent), tuple(cites), tuple(steps)
    )


def _gather(
    proof: Proof,
    result: Result,
    internal: frozenset[str],
    titles: Titles,
    words: Callable[[Any], str],
    facts: dict[str, None],
    absent: dict[str, None],
    cites: dict[str, None],
    steps: list[Step],
) -> None:
    info = result.rules.get(proof.rule or "")
    cites.update(dict.fromkeys(info.cite if info else ()))
    # "No ModuleReason ranked higher" beside a ModuleReason premise only says that the
    # rule picked the top one of a helper kind: machinery, not a reason people weigh.
    picked = {type(p.fact).__name__ for p in proof.premises} & internal
    for text in proof.absent:
        if absence_kind(text) not in picked:
            absent[absence_words(text, titles)] = None
    for premise in proof.premises:
        if premise.rule is None:
            facts[words(premise.fact)] = None
        elif type(premise.fact).__name__ in internal:
            _gather(premise, result, internal, titles, words, facts, absent, cites, steps)
        else:
            step = _step(premise, result, internal, titles, words)
            if step not in steps:
                steps.append(step)


def render_step(step: Step, indent: str = "") -> str:
    """A step as indented plain text, for a terminal:

    .. code-block:: text

        obligation: workplace w1, module OSS-I
          because: Every workplace runs OSS-I [oss1-always]
          given: workplace w1: sector retail, ...
    """
    if step.rule is None:
        return f"{indent}{step.conclusion} (given)"
    lines = [f"{indent}{step.conclusion}", f"{indent}  because: {step.title} [{step.rule}]"]
    lines += [f"{indent}  given: {fact}" for fact in step.facts]
    lines += [f"{indent}  and: {absent}" for absent in step.absent]
    lines += [render_step(inner, indent + "    ") for inner in step.steps]
    return "\n".join(lines)
