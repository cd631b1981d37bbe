"""The Dask extra: a bag and a dataframe evaluated on a 2-process LocalCluster agree with
evaluate_many in one process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster
from test_cli_batch import write_corpus

import oss_rules
from oss_rules.batch import Evaluated, Failed
from oss_rules.batch.dask import evaluate_bag, evaluate_hazard_frame


@pytest.fixture(scope="module")
def client() -> Any:
    """A real cluster of two worker processes on this machine."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def single_process(documents: list[Any]) -> list[dict[str, Any]]:
    engine = oss_rules.Engine(oss_rules.load_default())
    out = []
    for outcome in engine.evaluate_many(documents):
        if isinstance(outcome, Evaluated):
            out.append({"ok": True, "result": outcome.result.to_data()})
        else:
            assert isinstance(outcome, Failed)
            out.append({"ok": False, "error": outcome.error, "reason": outcome.reason})
    return out


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("ok", "result", "error", "reason")
    return [{k: r[k] for k in keep if k in r} for r in records]


def test_a_bag_on_two_worker_processes_matches_one_process(client: Any, tmp_path: Path):
    """Same outcomes, same order, failures included, from 4 partitions on 2 workers."""
    corpus = write_corpus(tmp_path / "c.jsonl", 24, frozenset({5, 17}))
    documents = [json.loads(line) for line in corpus.read_text("utf-8").splitlines()[2:]]
    bag = db.from_sequence(documents, npartitions=4)
    records = evaluate_bag(bag, oss_rules.load_default()).compute()
    assert [r["partition"] for r in records] == sorted(r["partition"] for r in records)
    assert len({r["partition"] for r in records}) == 4
    assert comparable(records) == single_process(documents)
    assert sum(not r["ok"] for r in records) == 2
    # Each worker process compiled the ruleset at most once, whatever its number of tasks.
    compiled = client.run(lambda: len(__import__("oss_rules.batch.dask").batch.dask._compiled))
    assert len(compiled) == 2 and set(compiled.values()) <= {0, 1} and 1 in compiled.values()


def test_a_dataframe_of_hazard_rows_matches_one_process(client: Any):
    """Hazard rows grouped per workplace in each partition give the CSV path's results."""
    rows = [
        {"as_of": "2026-06-30", "workplace_id": f"w{i}", "workplace_sector": "construction",
         "workplace_setting": "field", "workplace_headcount": str(10 + i),
         "hazard_id": f"h{i}-{j}", "hazard_category": "fall",
         "hazard_likelihood": str((i + j) % 5 + 1), "hazard_severity": "4"}
        for i in range(8)
        for j in range(2)
    ]  # fmt: skip
    frame = dd.from_pandas(pd.DataFrame(rows, dtype=str), npartitions=4, sort=False)
    records = evaluate_hazard_frame(frame, oss_rules.load_default()).compute()
    documents = [
        {"as_of": "2026-06-30", "facts": [
            {"type": "Workplace", "id": f"w{i}", "sector": "construction", "setting": "field",
             "headcount": 10 + i, "declared_modules": []},
            *({"type": "Hazard", "id": f"h{i}-{j}", "workplace": f"w{i}", "category": "fall",
               "likelihood": (i + j) % 5 + 1, "severity": 4} for j in range(2)),
        ]}
        for i in range(8)
    ]  # fmt: skip
    assert comparable(records) == single_process(documents)
