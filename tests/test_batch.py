"""Batch evaluation: evaluate_many's order, failures and window; worker processes; splitting."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, ROOT, hazard, workplace

import oss_rules
from oss_rules import Engine
from oss_rules.batch import (
    CsvHeaderError,
    CsvLayout,
    Evaluated,
    Failed,
    Record,
    SplitError,
    _records,
    read_records,
    split,
    split_inventory,
)
from oss_rules.batch._split import split_records
from oss_rules.errors import FactError
from oss_rules.language import load, load_default
from oss_rules.model.convert import Inventory, read_inventory
from oss_rules.model.domain import shipped_registry

EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.json") if "submission" not in p.parts)


def documents(count: int, bad: set[int] = frozenset()) -> Iterator[dict[str, Any]]:
    """``count`` one-workplace input documents; those at ``bad`` have a severity of 9."""
    for i in range(count):
        yield {
            "as_of": "2026-06-30",
            "facts": [
                {"type": "Workplace", "id": f"w{i}", "sector": "construction",
                 "setting": "field", "headcount": 10 + i},
                {"type": "Hazard", "id": f"h{i}", "workplace": f"w{i}", "category": "fall",
                 "likelihood": i % 5 + 1, "severity": 9 if i in bad else 4},
            ],
        }  # fmt: skip


def test_outcomes_come_in_input_order_and_a_bad_inventory_stops_nothing(engine: Engine):
    """One outcome per input, in order; the invalid one is Failed with its index and field."""
    outcomes = list(engine.evaluate_many(documents(5, bad={2})))
    assert [o.index for o in outcomes] == [0, 1, 2, 3, 4]
    assert [type(o) for o in outcomes] == [Evaluated, Evaluated, Failed, Evaluated, Evaluated]
    failed = outcomes[2]
    assert isinstance(failed, Failed)
    assert failed.error == "FactsError" and "severity" in failed.reason and "9" in failed.reason
    assert failed.where() == "inventory 2"
    for outcome, document in zip(outcomes, documents(5), strict=True):
        if isinstance(outcome, Evaluated):
            inventory = read_inventory(document)
            expected = engine.evaluate(inventory.facts, as_of=inventory.as_of)
            assert outcome.result.to_json() == expected.to_json()


def test_inventories_records_and_mappings_are_all_accepted(engine: Engine):
    """An Inventory, a Record and a mapping of the same input give the same result."""
    document = next(documents(1))
    inventory = read_inventory(document)
    items = [inventory, Record("f.jsonl", 7, document), document]
    results = [o.result.to_json() for o in engine.evaluate_many(items)]  # type: ignore[union-attr]
    assert results[0] == results[1] == results[2]


def test_a_record_that_could_not_be_read_is_failed_with_its_line(engine: Engine):
    """A Record with a problem becomes Failed naming its file and line, keeping its text."""
    [outcome] = engine.evaluate_many([Record("in.jsonl", 3, "{oops", "invalid JSON: x")])
    assert isinstance(outcome, Failed)
    assert (outcome.error, outcome.where(), outcome.record) == (
        "InvalidRecord",
        "in.jsonl:3",
        "{oops",
    )


def test_as_of_replaces_each_inventory_date(engine: Engine):
    """evaluate_many(as_of=...) evaluates every inventory as of that date."""
    day = dt.date(2027, 1, 1)
    [outcome] = engine.evaluate_many(documents(1), as_of=day)
    assert isinstance(outcome, Evaluated) and outcome.result.as_of == day


@pytest.mark.parametrize("workers", [1, 2])
def test_inputs_are_read_lazily_within_the_window(engine: Engine, workers: int):
    """Taking the first outcome reads at most `window` inventories: memory is bounded."""
    read: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        for i, document in enumerate(documents(400)):
            read.append(i)
            yield document

    outcomes = engine.evaluate_many(source(), workers=workers, window=8)
    first = next(outcomes)
    assert first.index == 0
    assert len(read) <= 8 + 1
    outcomes.close()  # type: ignore[attr-defined]


def test_worker_processes_give_the_same_results_in_the_same_order(engine: Engine):
    """workers=2 yields exactly what workers=1 yields, failures included."""
    one = list(engine.evaluate_many(documents(40, bad={5, 33}), window=7))
    two = list(engine.evaluate_many(documents(40, bad={5, 33}), workers=2, window=7))
    assert [type(o) for o in one] == [type(o) for o in two]
    for a, b in zip(one, two, strict=True):
        assert a.index == b.index
        if isinstance(a, Evaluated) and isinstance(b, Evaluated):
            assert a.result.to_json() == b.result.to_json()
        else:
            assert a == b


def test_workers_keep_the_param_overrides():
    """A worker compiles the same engine: the overrides travel with the ruleset."""
    engine = Engine(oss_rules.load_default(), params={"high_from": 21})
    one = [o.result.to_json() for o in engine.evaluate_many(documents(6))]  # type: ignore[union-attr]
    two = [o.result.to_json() for o in engine.evaluate_many(documents(6), workers=2)]  # type: ignore[union-attr]
    assert one == two
    assert '"high_from": 21' in one[0]


@pytest.mark.parametrize("bad", [{"workers": 0}, {"workers": True}, {"window": 0}])
def test_bad_arguments_are_named(engine: Engine, bad: dict[str, Any]):
    """workers and window must be ints >= 1; the error names the argument and the value."""
    with pytest.raises(FactError, match=f"{next(iter(bad))}"):
        engine.evaluate_many([], **bad)


def _renamed(document: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """The facts of ``document`` with every id and reference prefixed: a second company."""
    registry = shipped_registry()
    out = []
    for fact in document["facts"]:
        info = registry[fact["type"]]
        copy = dict(fact)
        for field in info.fields:
            if copy.get(field.name) is not None and (field.name == "id" or field.references):
                copy[field.name] = f"{prefix}-{copy[field.name]}"
        out.append(copy)
    return out


def portfolio() -> Inventory:
    """Every example input, twice under different ids, as one large input."""
    facts = [
        fact
        for prefix in ("a", "b")
        for path in EXAMPLES
        for fact in _renamed(json.loads(path.read_text("utf-8")), f"{prefix}{path.stem}")
    ]
    return read_inventory({"as_of": AS_OF.isoformat(), "facts": facts})


@pytest.mark.parametrize("name", ["oss", "id-k3", "id-bpjstk"])
def test_split_evaluation_concludes_what_one_big_evaluation_does(name: str):
    """Each shipped ruleset is splittable, and the split results add up to the whole one."""
    engine = Engine(load_default(name))
    registry = engine.ruleset.registry
    everything = portfolio()
    # Each ruleset reads the fact types of its own domains only.
    whole = Inventory(
        everything.as_of, tuple(f for f in everything.facts if type(f).__name__ in registry)
    )
    parts = list(split_inventory(whole, engine.ruleset))
    assert len(parts) >= 4
    assert sum(len(p.facts) for p in parts) == len(whole.facts)
    big = engine.evaluate(whole.facts, as_of=whole.as_of)
    pieces = [o.result for o in engine.evaluate_many(parts)]  # type: ignore[union-attr]
    assert set(big.conclusions) == {f for r in pieces for f in r.conclusions}
    assert len(big.conclusions) == sum(len(r.conclusions) for r in pieces)


def test_split_keeps_referencing_facts_together_in_input_order():
    """Hazards follow their workplace, workplaces their employer; unlinked facts part."""
    facts = [
        workplace(id="w1"),
        workplace(id="w2"),
        hazard("h2", workplace="w2"),
        hazard("h1", workplace="w1"),
        workplace(id="w3"),
    ]
    groups = split(facts, oss_rules.load_default())
    assert [[f.id for f in g] for g in groups] == [["w1", "h1"], ["w2", "h2"], ["w3"]]


def test_a_ruleset_joining_unlinked_facts_is_refused(tmp_path: Path):
    """Splitting refuses a ruleset whose join follows no reference, naming rule and place."""
    ruleset = load(ROOT / "tests" / "broken_rulesets" / "unsplittable.yaml")
    with pytest.raises(SplitError, match=r"unsplittable\.yaml:14:12: rule `same-category"):
        split([workplace()], ruleset)


def test_jsonl_records_carry_their_line_and_bad_lines_their_problem(tmp_path: Path):
    """Blank lines are skipped, line numbers are the file's, bad JSON is a Record problem."""
    path = tmp_path / "in.jsonl"
    path.write_text('{"as_of": "2026-06-30", "facts": []}\n\n{oops\n', "utf-8")
    records = list(read_records(str(path), shipped_registry()))
    assert [(r.line, bool(r.problem)) for r in records] == [(1, False), (3, True)]
    assert "invalid JSON" in records[1].problem and records[1].data == "{oops"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('\n{"as_of": "2026-06-30", "facts": []}\n{"as_of": "x", "facts": []}\n', [2, 3]),
        ('{\n  "as_of": "2026-06-30",\n  "facts": []\n}\n', [1]),
    ],
    ids=["json-lines", "one-document"],
)
def test_stdin_is_json_lines_or_one_document(text: str, lines: list[int]):
    """Standard input is JSON Lines when its first line is an object, else one document."""
    records = list(_records._stdin(io.StringIO(text)))
    assert [r.line for r in records] == lines
    assert not any(r.problem for r in records)


def test_csv_rows_of_one_workplace_are_one_inventory(tmp_path: Path):
    """Consecutive rows group by workplace; lists split on ';'; empty hazard cells: none."""
    path = tmp_path / "h.csv"
    path.write_text(
        "as_of,workplace_id,workplace_sector,workplace_setting,workplace_headcount,"
        "workplace_declared_modules,hazard_id,hazard_category,hazard_likelihood,hazard_severity\n"
        "2026-06-30,w1,construction,field,40,OSS-I;OSS-II,h1,fall,4,5\n"
        "2026-06-30,w1,construction,field,40,OSS-I;OSS-II,h2,noise,2,2\n"
        "2026-06-30,w2,retail,office,4,,,,,\n"
        "2026-06-30,w1,construction,field,40,,h3,fall,1,1\n",
        "utf-8",
    )
    records = list(read_records(str(path), shipped_registry()))
    assert [(r.line, r.problem) for r in records[:2]] == [(2, ""), (4, "")]
    first = read_inventory(records[0].data)
    assert [type(f).__name__ for f in first.facts] == ["Workplace", "Hazard", "Hazard"]
    assert first.facts[0].declared_modules == ("OSS-I", "OSS-II")
    assert first.facts[2].workplace == "w1" and first.facts[2].likelihood == 2
    assert len(read_inventory(records[1].data).facts) == 1
    assert "appears again" in records[2].problem and records[2].line == 5


def test_a_csv_header_with_an_unknown_column_is_an_error_naming_it(tmp_path: Path):
    """A misspelt column stops the file with its position and a suggestion."""
    path = tmp_path / "h.csv"
    path.write_text("as_of,workplace_id,hazard_sevrity\n", "utf-8")
    with pytest.raises(CsvHeaderError, match=r"h\.csv:1:3: unknown column 'hazard_sevrity'"):
        list(read_records(str(path), shipped_registry()))


def test_the_csv_layout_follows_the_registry():
    """Every init field of Workplace and Hazard has a column, except links outside the file."""
    header = CsvLayout.of(shipped_registry()).header()
    assert header[0] == "as_of"
    assert "workplace_employer" not in header and "hazard_workplace" not in header
    assert {"workplace_id", "hazard_id", "hazard_severity", "workplace_declared_modules"} <= set(
        header
    )


def test_a_csv_error_names_the_line_and_column_of_the_cell(tmp_path: Path, engine: Engine):
    """A bad hazard cell is reported at its own row's line and column, with the value."""
    path = tmp_path / "h.csv"
    path.write_text(
        "as_of,workplace_id,workplace_sector,workplace_setting,workplace_headcount,"
        "hazard_id,hazard_category,hazard_likelihood,hazard_severity\n"
        "2026-06-30,w1,construction,field,40,h1,fall,4,5\n"
        "2026-06-30,w1,construction,field,40,h2,noise,2,9\n",
        "utf-8",
    )
    [outcome] = engine.evaluate_many(read_records(str(path), shipped_registry()))
    assert isinstance(outcome, Failed) and outcome.where() == f"{path}:2"
    assert "line 3, column hazard_severity: Hazard 'h2' field 'severity'" in outcome.reason
    assert "(got 9)" in outcome.reason


def test_split_csv_parts_keep_the_cells_of_their_facts(tmp_path: Path):
    """After --split, each part of a CSV record still knows each fact's line and columns."""
    path = tmp_path / "h.csv"
    path.write_text(
        "as_of,workplace_id,workplace_sector,workplace_setting,workplace_headcount,"
        "hazard_id,hazard_category,hazard_likelihood,hazard_severity\n"
        "2026-06-30,w1,construction,field,40,h1,fall,4,5\n"
        "2026-06-30,w1,construction,field,40,h2,noise,2,2\n",
        "utf-8",
    )
    [record] = read_records(str(path), shipped_registry())
    [part] = split_records([record], [load_default()])
    assert part.places == record.places
    assert [line for line, _ in part.places] == [2, 2, 3]
