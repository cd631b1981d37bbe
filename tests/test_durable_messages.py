"""durable gets only the fields its conditions name; the rest stays on the Python side."""

from __future__ import annotations

from pathlib import Path

import oss_rules
from oss_rules import Engine
from oss_rules.engine._compile import compile_ruleset

RULESET = """\
ruleset: messages
version: "1"
sources:
  s: "a source"
rules:
  - id: fall-on-site
    cite: s
    when:
      - h: Hazard(category == "fall", score >= 10)
      - w: Workplace(id == h.workplace)
    then:
      - 'Obligation(workplace: w.id, module: "OSS-II")'
  - id: undeclared
    cite: s
    when:
      - o: Obligation()
      - w: Workplace(id == o.workplace)
      - not: DeclaredModule(workplace == o.workplace, module == o.module)
    then:
      - 'Finding(workplace: w.id, code: "missing_module", subject: o.module)'
"""


def test_messages_carry_the_named_fields_only(tmp_path: Path) -> None:
    """Fields no durable condition names (numbers, dates, names) are not sent."""
    (tmp_path / "ruleset.yaml").write_text(RULESET, "utf-8")
    ruleset = oss_rules.load(tmp_path)
    first, second = compile_ruleset(ruleset, ruleset.params)
    sent = {name: {key for _, key, _ in fields} for name, fields in first.fields.items()}
    # A key is sent for every type that has it (`id_` is named by the Workplace join).
    assert sent["Hazard"] == {"category", "workplace", "score", "id_"}
    assert sent["Workplace"] == {"id_"}
    assert {key for _, key, _ in second.fields["DeclaredModule"]} == {"workplace", "module"}
    assert {key for _, key, _ in second.fields["Obligation"]} == {"workplace", "module"}


def test_fields_left_out_of_messages_still_decide(tmp_path: Path) -> None:
    """Rules still see every field of the facts they match, sent or not."""
    from conftest import AS_OF, hazard, workplace

    (tmp_path / "ruleset.yaml").write_text(RULESET, "utf-8")
    engine = Engine(oss_rules.load(tmp_path))
    facts = [
        workplace(),
        hazard("h1", category="fall", likelihood=2, severity=5),
        hazard("h2", category="fall", likelihood=1, severity=5),
    ]
    result = engine.evaluate(facts, as_of=AS_OF)
    assert [(o.workplace, o.module) for o in result.obligations] == [("w1", "OSS-II")]
    assert [i.premises[0].id for i in result.trace if i.rule == "fall-on-site"] == ["h1"]
    assert [(f.code, f.subject) for f in result.findings] == [("missing_module", "OSS-II")]
