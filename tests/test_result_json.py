"""A result's JSON: the same bytes however it is written, and memory near the text's size."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable

from conftest import AS_OF, hazard, workplace

import oss_rules
from oss_rules import Engine


def _large_result() -> oss_rules.Result:
    facts = [workplace()] + [
        hazard(f"h{i}", likelihood=1 + i % 5, severity=1 + (i // 5) % 5) for i in range(300)
    ]
    return Engine(oss_rules.load_default(), backend="compiled").evaluate(facts, as_of=AS_OF)


def test_to_json_and_write_json_give_json_dumps_bytes() -> None:
    result = _large_result()
    expected = json.dumps(result.to_data(), indent=2, sort_keys=True, ensure_ascii=False)
    stream = io.StringIO()
    result.write_json(stream)
    assert result.to_json() == expected == stream.getvalue()
    compact = json.dumps(result.to_data(), sort_keys=True, ensure_ascii=False)
    assert result.to_json(indent=None) == compact


def test_to_data_encodes_each_fact_once() -> None:
    """A fact named in given, derived and the trace is one dict, not one per mention."""
    result = _large_result()
    data = result.to_data()
    given = {d["id"]: d for d in data["given"]}
    premises = [p for step in data["trace"] for p in step["premises"] if p["type"] == "Hazard"]
    assert premises and all(p is given[p["id"]] for p in premises)


def _peak(write: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_to_json_holds_far_less_than_json_dumps() -> None:
    """json.dumps with an indent first lists every piece of the text; to_json does not."""
    result = _large_result()
    data = result.to_data()
    dumps = _peak(lambda: json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
    streamed = _peak(lambda: result.write_json(_Discard()))  # a file: nothing kept
    assert streamed < dumps / 2
    assert _peak(result.to_json) < dumps / 2


class _Discard(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)
