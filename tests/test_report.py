"""The audit report (`oss-rules report`, `oss_rules.report`) and evaluation with several
rulesets at once (`evaluate --ruleset A --ruleset B`, `--all-rulesets`).

The report's content is checked twice: in pure Python with html.parser (so it runs
everywhere), and as headless Chromium sees it after parsing the page (`--dump-dom`).
The Chromium tests skip only when chromium is missing and OSS_RULES_REQUIRE_CHROMIUM is
not set; CI sets it, so CI never skips them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from conftest import ROOT

import oss_rules
from oss_rules import Engine, FactRegistry, Result, Workplace
from oss_rules.cli import main
from oss_rules.cli._common import shipped_ruleset_ids
from oss_rules.engine.result import RuleInfo, RulesetInfo, build
from oss_rules.model._fields import Choice, Integer, Number, Text, field
from oss_rules.report import Evaluation, render_report
from oss_rules.report.words import absence_words, explain_in_words, render_step

CONSTRUCTION = ROOT / "examples" / "construction.json"

# A second ruleset with other levels than oss: every hazard is "low" here, so a matrix
# coloured from score bands instead of from the ruleset's Classification facts would
# show up. Its texts hold markup, which the report must escape.
TINY = """\
ruleset: tiny
version: 0.1.0
title: A tiny ruleset for the report tests
sources:
  t1: Tiny source <one> & only.
params:
  likely_from: 3
rules:
  - id: all-low
    title: Every hazard is low here
    cite: t1
    when:
      - h: Hazard()
    then:
      - 'Classification(workplace: h.workplace, hazard: h.id, category: h.category,
        score: h.score, level: "low")'
  - id: likely
    title: A likely hazard is flagged
    cite: t1
    when:
      - h: Hazard(likelihood >= likely_from)
    then:
      - 'Finding(workplace: h.workplace, code: "likely", subject: h.id,
        message: "likely <b>hazard</b>")'
"""

# A ruleset that finds things about hazards but classifies none.
BARE = """\
ruleset: bare
version: 0.1.0
title: Sees hazards, classifies none
sources:
  t1: Tiny source.
rules:
  - id: seen
    title: Every hazard is seen
    cite: t1
    when:
      - h: Hazard()
    then:
      - 'Finding(workplace: h.workplace, code: "seen", subject: h.id)'
"""


# --- a small DOM, for the page as written and as Chromium dumps it -------------------

VOID = {"meta", "link", "img", "br", "hr", "input", "source", "base", "col", "wbr"}


@attrs.define
class Node:
    """An element: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = attrs.field(factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, **wanted: str) -> list[Node]:
        """Descendants with this tag whose attributes contain ``wanted`` (``class_``
        matches one class of the element)."""
        out = []
        for node in self.walk():
            if node.tag != tag:
                continue
            ok = True
            for key, value in wanted.items():
                name = key.rstrip("_").replace("_", "-")
                have = node.attrs.get(name)
                if name == "class":
                    ok = ok and value in (have or "").split()
                else:
                    ok = ok and have == value
            if ok:
                out.append(node)
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"</{tag}> closes no open element")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], [n.tag for n in builder.stack]
    return builder.root


def _words(text: str) -> str:
    return " ".join(text.split())


def matrix_cells(dom: Node) -> dict[tuple[str, str, int, int], tuple[str, str, set[str]]]:
    """(ruleset, workplace, likelihood, severity) -> (band, level, hazard ids listed), for
    the workplaces' matrices."""
    cells = {}
    for matrix in dom.find("table", class_="matrix"):
        if "heat" in matrix.attrs["class"].split():
            continue
        for td in matrix.find("td", class_="cell"):
            key = (
                matrix.attrs["data-ruleset"],
                matrix.attrs["data-workplace"],
                int(td.attrs["data-likelihood"]),
                int(td.attrs["data-severity"]),
            )
            hazards = {li.attrs["data-hazard"] for li in td.find("li")}
            cells[key] = (td.attrs["data-band"], td.attrs["data-level"], hazards)
    return cells


def table_rows(section: Node, class_: str) -> list[list[str]]:
    """The body rows of the tables of ``class_`` in ``section``, as cell texts."""
    rows = []
    for found in section.find("table", class_=class_):
        for tbody in found.find("tbody"):
            for tr in tbody.find("tr"):
                rows.append([_words(td.text()) for td in tr.find("td")])
    return rows


def subject(dom: Node, kind: str, id_: str) -> Node:
    """The section of one workplace or employer."""
    (found,) = dom.find("section", class_="subject", data_kind=kind, data_id=id_)
    return found


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "ruleset.yaml"
    path.write_text(TINY, "utf-8")
    return path


@pytest.fixture(scope="module")
def engines(tiny_path: Path) -> list[Engine]:
    """oss, and tiny with likely_from overridden."""
    return [
        Engine(oss_rules.load_default()),
        Engine(oss_rules.load(tiny_path), params={"likely_from": 2}),
    ]


@pytest.fixture(scope="module")
def results(engines: list[Engine]) -> list[Result]:
    """The construction example under oss and under tiny."""
    inventory = oss_rules.read_inventory(CONSTRUCTION)
    return [e.evaluate(inventory.facts, as_of=inventory.as_of) for e in engines]


@pytest.fixture(scope="module")
def page(results: list[Result], engines: list[Engine]) -> str:
    return render_report([Evaluation("examples/construction.json", results)], engines=engines)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of `make demo`: three inputs, every shipped ruleset."""
    out = tmp_path_factory.mktemp("demo") / "report.html"
    code, output = run("report", "--all-rulesets", "-o", str(out), *DEMO)
    assert code == 0, output
    return out


DEMO = [
    str(ROOT / "examples" / "workshop.json"),
    str(ROOT / "examples" / "k3" / "steelworks.json"),
    str(ROOT / "examples" / "payroll" / "march-2026.json"),
]


def _check_content(dom: Node, results: list[Result]) -> None:
    """What both the Python and the Chromium tests expect of the construction report."""
    site = subject(dom, "Workplace", "site-a")
    cells = matrix_cells(dom)
    # Each hazard is in the cell of its likelihood and severity, in both rulesets'
    # matrices, and the cell's level is the one the ruleset's Classification gave it.
    for result in results:
        rid = result.ruleset.id
        levels = {c.hazard: c.level for c in result.classifications}
        hazards = [f for f in result.given if isinstance(f, oss_rules.Hazard)]
        assert hazards
        for h in hazards:
            _, level, listed = cells[(rid, h.workplace, h.likelihood, h.severity)]
            assert h.id in listed
            assert level == levels[h.id]
        assert len([k for k in cells if k[0] == rid]) == 25
    assert cells[("oss", "site-a", 4, 5)] == ("high", "high", {"h1"})
    assert cells[("tiny", "site-a", 4, 5)] == ("low", "low", {"h1"})
    # Every cell has its band, the ruleset's own: 15 is high under oss, low under tiny.
    assert cells[("oss", "site-a", 5, 3)][:2] == ("high", "none")
    assert cells[("tiny", "site-a", 5, 3)][:2] == ("low", "none")
    # Findings of both rulesets are in the workplace's section, in words, escaped text
    # intact, each with its ruleset.
    found = table_rows(site, "findings")
    assert len(found) == len(results[0].findings) + len(results[1].findings) > 0
    tiny = next(r for r in found if r[0] == "Likelytiny")  # title, then its ruleset
    assert tiny[1] == "h1" and tiny[2].startswith("likely <b>hazard</b>")
    assert "Tiny source <one> & only." in _words(dom.find("ol", class_="references")[0].text())
    # The rulesets' digests and overrides are in the page, each with its ruleset.
    rulesets = table_rows(dom, "rulesets")
    assert {r[0]: r[2] for r in rulesets} == {r.ruleset.id: r.ruleset.digest for r in results}
    assert "likely_from = 2" in next(r for r in rulesets if r[0] == "tiny")[3]


# --- the page in pure Python -------------------------------------------------------


def test_report_content(page: str, results: list[Result]) -> None:
    """Hazards in their matrix cells with bands, findings, digests, overrides."""
    _check_content(parse(page), results)


def test_report_is_self_contained_and_printable(page: str) -> None:
    """No script, stylesheet link, image or frame; only in-page links; print CSS that
    starts each workplace on a page of its own; a narrow-screen layout."""
    dom = parse(page)
    tags = {n.tag for n in dom.walk()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert all("src" not in n.attrs for n in dom.walk())
    hrefs = [n.attrs["href"] for n in dom.find("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    ids = {n.attrs["id"] for n in dom.walk() if "id" in n.attrs}
    assert {h[1:] for h in hrefs} <= ids
    (style,) = dom.find("style")
    css = style.text()
    assert "@media print" in css and "section.subject" in css and "break-before: page" in css
    assert "@media (max-width: 40rem)" in css
    assert page.startswith("<!DOCTYPE html>\n")


def test_overview_lists_every_workplace_and_employer(demo: Path) -> None:
    """The overview has one row per workplace and employer of the inputs, each linking
    to its section, and there is one section per workplace and employer, not per
    ruleset."""
    dom = parse(demo.read_text("utf-8"))
    (overview,) = dom.find("section", class_="overview")
    rows = table_rows(overview, "overview")
    names = [_words(a.text()) for a in overview.find("table", class_="overview")[0].find("a")]
    assert names == [
        "Workplace ws-1",
        "Workplace depot",
        "Workplace mill",
        "Employer baja",
        "Employer cv-rapi",
        "Employer pt-bangun",
    ]
    sections = dom.find("section", class_="subject")
    assert [f"{s.attrs['data-kind']} {s.attrs['data-id']}" for s in sections] == names
    links = [a.attrs["href"][1:] for a in overview.find("a")]
    assert links == [s.attrs["id"] for s in sections]
    # Which need attention is said in words, in the overview and in each section.
    assert [r[1] for r in rows] == ["needs attention"] * 5 + ["in order"]
    assert [s.attrs["data-attention"] for s in sections] == ["yes"] * 5 + ["no"]
    # The overview counts what the sections hold.
    ws1 = subject(dom, "Workplace", "ws-1")
    assert rows[0][3].startswith(f"{len(table_rows(ws1, 'findings'))} ")
    assert rows[0][2] == "3 / 2 (missing OSS-II)"


def test_no_empty_sections_and_no_engine_notation(demo: Path) -> None:
    """Nothing says "none": every part has content. No Python repr, engine notation or
    internal helper kind is shown as a reason."""
    text = demo.read_text("utf-8")
    dom = parse(text)
    assert not dom.find("p", class_="empty")
    for part in dom.find("div", class_="part"):
        assert len(part.children) > 1 and _words(part.text()) != _words(part.find("h3")[0].text())
    shown = _words(dom.text())
    for notation in ("ModuleReason(", "Obligation(", "Hazard(", " == ", "\u2039"):
        assert notation not in shown, notation
    for why in dom.find("details", class_="why"):
        assert not re.search(r"[A-Z]\w*\((\w+=|\w+ [=!<>])", why.text()), why.text()


def test_every_conclusion_has_its_proof_in_words(demo: Path) -> None:
    """Each finding, action, deadline, module and duty has a collapsed "why" that gives
    the rule's title and the facts that decided it in words."""
    dom = parse(demo.read_text("utf-8"))
    for class_ in ("findings", "actions", "deadlines", "obligations", "duties"):
        tables = dom.find("table", class_=class_)
        assert tables, class_
        for table in tables:
            for tr in table.find("tbody")[0].find("tr"):
                (why,) = tr.find("details", class_="why")
                assert why.find("summary")[0].text() == "why"
                assert why.find("p", class_="rule")[0].find("strong")
    ws1 = subject(dom, "Workplace", "ws-1")
    missing = next(
        tr
        for tr in ws1.find("table", class_="findings")[0].find("tr")
        if "Required OSS module not declared" in tr.text()
    )
    proof = _words(missing.find("details")[0].text())
    assert "no declared module with workplace ws-1 and module OSS-II" in proof
    assert "incident inc-1: workplace ws-1, kind disability, occurred at 2026-03-02 10:15" in proof


def test_internal_kinds_are_not_conclusions_and_codes_have_titles(demo: Path) -> None:
    """Helper facts a ruleset marks internal are not listed anywhere as conclusions,
    and findings and duties are named by the ruleset's titles, not by their codes."""
    dom = parse(demo.read_text("utf-8"))
    internal = set()
    for ruleset_id in shipped_ruleset_ids():
        engine = Engine(oss_rules.load(ROOT / "rulesets" / ruleset_id))
        internal |= engine.ruleset.internal
    assert {"Due", "ModuleReason", "TopHazard", "DeclaredModule", "NoiseLimit"} <= internal
    listed = {
        cls[len("type-") :]
        for section in dom.find("section", class_="subject")
        for table in section.find("table")
        for cls in table.attrs.get("class", "").split()
        if cls.startswith("type-")
    }
    assert listed and not listed & internal, listed & internal
    ws1 = subject(dom, "Workplace", "ws-1")
    titles = [r[0] for r in table_rows(ws1, "findings")]
    assert "Required OSS module not declaredoss" in titles
    assert "Written accident report lateid-k3" in titles
    assert not [t for t in titles if "_" in t]
    mill = subject(dom, "Workplace", "mill")
    assert {r[0] for r in table_rows(mill, "duties")} == {
        "First-aid kit",
        "First-aid officers",
        "P2K3 safety committee",
    }


def test_citations_appear_once_as_numbered_references(demo: Path) -> None:
    """Each cited source's text is printed once, in the references; proofs point to it
    by number, and every number they use is there."""
    dom = parse(demo.read_text("utf-8"))
    (refs,) = dom.find("ol", class_="references")
    items = refs.find("li")
    texts = [_words(li.text()) for li in items]
    assert len(texts) == len(set(texts)) > 5
    page_text = _words(dom.text())
    for li in items:
        source = _words("".join(c for c in li.children if isinstance(c, str)))
        assert page_text.count(source) == 1, source
    targets = {a.attrs["href"][1:] for a in dom.find("a", class_="ref")}
    assert targets == {li.attrs["id"] for li in items}


def test_every_matrix_cell_shows_its_band(demo: Path) -> None:
    """With the engines known, every cell of the heat map and of each workplace's
    matrix is coloured by its band, and the bands are the ruleset's (15 is high)."""
    dom = parse(demo.read_text("utf-8"))
    matrices = dom.find("table", class_="matrix")
    assert len(matrices) == 2  # the heat map and ws-1's; the others have no hazard
    for matrix in matrices:
        cells = matrix.find("td", class_="cell")
        assert len(cells) == 25
        for td in cells:
            band = td.attrs["data-band"]
            assert band in {"low", "medium", "high"}
            assert f"level-{band}" in td.attrs["class"].split()
            assert band in _words(td.text()).lower()
        by_cell = {(td.attrs["data-likelihood"], td.attrs["data-severity"]): td for td in cells}
        assert by_cell[("5", "3")].attrs["data-band"] == "high"
        assert by_cell[("3", "4")].attrs["data-band"] == "medium"
        assert by_cell[("1", "4")].attrs["data-band"] == "low"
    (heat,) = dom.find("table", class_="heat")
    counts = {
        (td.attrs["data-likelihood"], td.attrs["data-severity"]): "".join(
            c.text() for c in td.find("span", class_="count")
        )
        for td in heat.find("td")
    }
    assert {k: v for k, v in counts.items() if v} == {("3", "4"): "1", ("1", "3"): "1"}


def test_without_engines_cells_are_coloured_only_by_classified_hazards(
    results: list[Result],
) -> None:
    """A report made from results alone does not guess bands from scores."""
    dom = parse(render_report([Evaluation("x.json", results)]))
    cells = matrix_cells(dom)
    assert cells[("oss", "site-a", 5, 5)] == ("none", "none", set())
    assert cells[("oss", "site-a", 4, 5)] == ("none", "high", {"h1"})
    assert "bands are not known" in dom.text()


def test_deadlines_say_their_status_once(demo: Path) -> None:
    """A deadline's status and its distance in days never contradict: a date that is
    today reads "today", beside its status, never "due today" beside "overdue"."""
    dom = parse(demo.read_text("utf-8"))
    mill = subject(dom, "Workplace", "mill")
    rows = table_rows(mill, "deadlines")
    assert rows and all(r[0] == "overdue" and r[1] == "2026-06-30today" for r in rows)
    assert "due today" not in dom.text()


def test_levels_are_written_not_only_coloured(page: str) -> None:
    """Each classified hazard's cell says its level in words."""
    dom = parse(page)
    (matrix,) = dom.find("table", class_="matrix", data_ruleset="oss", data_workplace="site-a")
    cell = next(td for td in matrix.find("td", class_="cell") if td.find("li"))
    assert _words(cell.text()).split()[-1] in {"low", "medium", "high"}


def test_action_plan_by_due_date_and_deadlines_by_urgency(page: str) -> None:
    """Actions come earliest first; deadlines overdue first, then due soon, then ok."""
    site = subject(parse(page), "Workplace", "site-a")
    dues = [r[1].split()[0] for r in table_rows(site, "actions")]
    assert dues and dues == sorted(dues)
    order = {"overdue": 0, "due soon": 1, "ok": 2}
    deadlines = table_rows(site, "deadlines")
    keys = [(order.get(r[0], 3), r[1].split()[0]) for r in deadlines]
    assert deadlines and keys == sorted(keys)


def test_every_text_is_escaped(tiny_path: Path) -> None:
    """Markup in facts and sources is shown as text, never parsed as elements."""
    sneaky = Workplace(id="w1", sector='<script>alert("x")</script>', setting="office", headcount=1)
    hazard = oss_rules.Hazard(id="h1", workplace="w1", category="noise", likelihood=3, severity=1)
    result = Engine(oss_rules.load(tiny_path)).evaluate([sneaky, hazard], as_of=dt.date(2026, 1, 1))
    page = render_report([Evaluation("<in>.json", [result])])
    dom = parse(page)
    assert not dom.find("script") and not dom.find("b")
    text = dom.text()
    assert '<script>alert("x")</script>' in text and "<in>.json" in text
    assert "&lt;script&gt;" in page


def test_same_facts_in_any_order_give_the_same_bytes(engines: list[Engine]) -> None:
    """The report is deterministic: reversed input, same page."""
    inventory = oss_rules.read_inventory(CONSTRUCTION)

    def report(facts: tuple[Any, ...]) -> str:
        got = [e.evaluate(facts, as_of=inventory.as_of) for e in engines]
        return render_report([Evaluation("x.json", got)], engines=engines)

    assert report(inventory.facts) == report(tuple(reversed(inventory.facts)))


def test_a_ruleset_without_classifications_has_no_matrix(tiny_path: Path) -> None:
    """Cells are never coloured from guessed score bands: a ruleset that classifies no
    hazard draws no matrix, even with its engine given."""
    bare = tiny_path.parent / "bare.yaml"
    bare.write_text(BARE, "utf-8")
    inventory = oss_rules.read_inventory(CONSTRUCTION)
    engine = Engine(oss_rules.load(bare))
    result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
    assert not result.classifications and result.findings
    dom = parse(render_report([Evaluation("x.json", [result])], engines=[engine]))
    assert not matrix_cells(dom)
    assert not [n for n in dom.walk() if "level-high" in n.attrs.get("class", "")]
    assert table_rows(dom, "findings")


# --- proofs in words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absence", "words"),
    [
        (
            'no DeclaredModule(workplace == "d", module == "OSS-I")',
            "no declared module with workplace d and module OSS-I",
        ),
        (
            'no Hazard(workplace == "m", reported_by in ["worker", "supervisor"])',
            "no hazard with workplace m and reported by worker or supervisor",
        ),
        (
            'no Incident(occurred_at >= date("2026-01-01"), kind != "death", x == null)',
            "no incident with occurred at on or after 2026-01-01, kind other than death and no x",
        ),
        (
            'no Incident(workplace == "w1", occurred_at < moment("2026-03-01T08:00:00"))',
            "no incident with workplace w1 and occurred at before 2026-03-01T08:00:00",
        ),
        ('no JkkGroup(employer == "a, b")', "no jkk group with employer a, b"),
        ("something else", "something else"),
    ],
)
def test_absences_in_words(absence: str, words: str) -> None:
    """The engine's `no Type(field op value)` reads as words; other text is kept."""
    assert absence_words(absence) == words


def test_internal_steps_are_lifted_into_the_step_that_used_them(engine: Engine) -> None:
    """A helper fact is not a step of its own: its premises decide the conclusion that
    used it, and "no higher-ranked helper" absences are left out."""
    inventory = oss_rules.read_inventory(ROOT / "examples" / "k3" / "steelworks.json")
    facts = [f for f in inventory.facts if engine.ruleset.registry.holds(type(f))]
    result = engine.evaluate(facts, as_of=inventory.as_of)
    finding = next(f for f in result.findings if f.code == "missing_module")
    internal = frozenset({"ModuleReason", "DeclaredModule"})
    plain = explain_in_words(result, finding)
    lifted = explain_in_words(result, finding, internal=internal)
    assert any("module reason" in s.conclusion for s in plain.steps)
    assert not any("module reason" in s.conclusion for s in lifted.steps)
    assert not any("module reason" in a for a in lifted.absent)
    assert any(a.startswith("no declared module") for a in lifted.absent)
    assert lifted.facts and lifted.rule == "missing-module"
    text = render_step(lifted)
    assert "because: " in text and "Obligation(" not in text


# --- contributions and other derived types ------------------------------------------


@attrs.frozen
class Contribution:
    """A stand-in with the fields of id-bpjstk's Contribution, to test the totals
    without depending on that ruleset."""

    workplace: str = field(Text(ident=True))
    worker: str = field(Text(ident=True))
    programme: str = field(Choice(("JHT", "JP")))
    payer: str = field(Choice(("employer", "worker")))
    amount: int = field(Integer(0))
    rate: Decimal = field(Number(), default=Decimal("0.24"))


@attrs.frozen
class Note:
    """Another derived type the report knows nothing about."""

    workplace: str = field(Text(ident=True))
    text: str = field(Text())


def _hand_made_result(derived: list[Any]) -> Result:
    registry = FactRegistry((Workplace, Contribution, Note))
    site = Workplace(id="w1", sector="retail", setting="office", headcount=2)
    return build(
        ruleset=RulesetInfo("pay", "1.0.0", "sha256:" + "ab" * 32),
        as_of=dt.date(2026, 4, 1),
        given=[site],
        derived=derived,
        trace=[],
        rules={"r": RuleInfo("R", ())},
        sources={},
        registry=registry,
    )


def test_contributions_get_totals_by_programme_and_payer() -> None:
    """Amounts add up per programme and payer (ints, with separators), with a grand total;
    a percentage column says it is one."""
    result = _hand_made_result(
        [
            Contribution("w1", "a", "JHT", "employer", 159896),
            Contribution("w1", "a", "JHT", "worker", 86430),
            Contribution("w1", "b", "JHT", "employer", 444000),
            Contribution("w1", "b", "JP", "worker", 1110863),
            Note("w1", "a <note>"),
        ]
    )
    dom = parse(render_report([Evaluation("pay.json", [result])]))
    section = subject(dom, "Workplace", "w1")
    assert table_rows(section, "totals") == [
        ["JHT", "603,896", "86,430", "690,326"],
        ["JP", "0", "1,110,863", "1,110,863"],
        ["total", "603,896", "1,197,293", "1,801,189"],
    ]
    assert len(table_rows(section, "type-Contribution")) == 4
    (listing,) = section.find("table", class_="type-Contribution")
    assert "rate (%)" in [_words(th.text()) for th in listing.find("th")]
    assert table_rows(section, "type-Note")[0][:2] == ["w1", "a <note>"]


def test_contributions_with_decimal_amounts_are_summed_exactly() -> None:
    """Decimal amounts are summed as Decimals: 0.1 + 0.2 is 0.3, not 0.30000000000000004."""

    @attrs.frozen
    class Contribution:  # same name, so the report treats it as a contribution
        worker: str
        payer: str
        amount: Decimal

    registry = FactRegistry((Workplace, Contribution))
    result = build(
        ruleset=RulesetInfo("pay", "1.0.0", "sha256:00"),
        as_of=dt.date(2026, 4, 1),
        given=[],
        derived=[
            Contribution("a", "worker", Decimal("0.1")),
            Contribution("b", "worker", Decimal("0.2")),
        ],
        trace=[],
        rules={},
        sources={},
        registry=registry,
    )
    dom = parse(render_report([Evaluation("x", [result])]))
    (section,) = dom.find("section", class_="subject", data_kind="Input")
    assert table_rows(section, "totals")[-1] == ["0.3", "0.3"]


# --- the command line ---------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_evaluate_with_two_rulesets_prints_a_section_each(tiny_path: Path) -> None:
    code, output = run(
        "evaluate", str(CONSTRUCTION), "--ruleset", "oss", "--ruleset", str(tiny_path)
    )
    assert code == 0, output
    heads = [line for line in output.splitlines() if " as of 2026-06-30" in line]
    assert [h.split()[0] for h in heads] == ["oss", "tiny"]
    # tiny concludes nothing but classifications and findings: no empty section after them.
    assert "likely" in output and "Other conclusions" not in output and ": none" not in output


def test_evaluate_json_with_two_rulesets_lists_evaluations_in_order(tiny_path: Path) -> None:
    code, output = run(
        "evaluate", "--json", str(CONSTRUCTION), "--ruleset", str(tiny_path), "--ruleset", "oss"
    )
    assert code == 0, output
    data = json.loads(output)
    assert list(data) == ["evaluations"]
    assert [e["ruleset"]["id"] for e in data["evaluations"]] == ["tiny", "oss"]
    _, alone = run("evaluate", "--json", str(CONSTRUCTION))
    assert data["evaluations"][1] == json.loads(alone)


@pytest.mark.slow
def test_all_rulesets_evaluates_every_shipped_one() -> None:
    shipped = shipped_ruleset_ids()
    assert "oss" in shipped
    assert shipped == tuple(
        sorted(d.name for d in (ROOT / "rulesets").iterdir() if (d / "ruleset.yaml").is_file())
    )
    code, output = run("evaluate", "--json", "--all-rulesets", str(CONSTRUCTION))
    assert code == 0, output
    data = json.loads(output)
    ids = (
        [e["ruleset"]["id"] for e in data["evaluations"]]
        if len(shipped) > 1
        else [data["ruleset"]["id"]]
    )
    assert ids == list(shipped)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ruleset", "osss"], "did you mean `oss`?"),
        (["--ruleset", "oss", "--all-rulesets"], "not both"),
        (["--ruleset", "oss", "--ruleset", "oss"], "oss is given more than once"),
        (["--ruleset", "oss", "--ruleset", "TINY", "--param", "nope=1"], "has a param 'nope'"),
        (["--ruleset", "oss", "--ruleset", "TINY", "--param", "tinny:x=1"], "no ruleset 'tinny'"),
        (["--ruleset", "oss", "--ruleset", "TINY", "--param", "tiny:likely_from=x"], "must be"),
    ],
)
def test_bad_ruleset_options_are_clear_errors(
    tiny_path: Path, args: list[str], message: str
) -> None:
    argv = [str(tiny_path) if a == "TINY" else a for a in args]
    code, output = run("evaluate", str(CONSTRUCTION), *argv)
    assert code == 2
    assert message in output


def test_a_param_goes_to_the_ruleset_that_declares_it(tiny_path: Path) -> None:
    """`NAME=VALUE` reaches only rulesets with that param; `ID:NAME=VALUE` only ID."""
    for param in ("likely_from=5", "tiny:likely_from=5"):
        code, output = run(
            "evaluate", "--json", str(CONSTRUCTION),
            "--ruleset", "oss", "--ruleset", str(tiny_path), "--param", param,
        )  # fmt: skip
        assert code == 0, output
        oss, tiny = json.loads(output)["evaluations"]
        assert oss["ruleset"]["overrides"] == {}
        assert tiny["ruleset"]["overrides"] == {"likely_from": 5}
        assert not [f for f in tiny["findings"] if f["code"] == "likely"]


def test_report_command_writes_one_html_file(tmp_path: Path, tiny_path: Path) -> None:
    out = tmp_path / "report.html"
    code, output = run(
        "report", str(CONSTRUCTION), str(ROOT / "examples" / "office.json"),
        "-o", str(out), "--ruleset", "oss", "--ruleset", str(tiny_path),
    )  # fmt: skip
    assert code == 0, output
    assert f"wrote {out}: 2 inputs, rulesets oss, tiny" in output
    dom = parse(out.read_text("utf-8"))
    workplaces = [
        f.id
        for path in (CONSTRUCTION, ROOT / "examples" / "office.json")
        for f in oss_rules.read_inventory(path).facts
        if isinstance(f, Workplace)
    ]
    sections = dom.find("section", class_="subject")
    assert [s.attrs["data-id"] for s in sections] == workplaces
    assert [r[0] for r in table_rows(dom, "rulesets")] == ["oss", "tiny"]
    code, again = run("report", str(CONSTRUCTION), "-o", "-")
    assert code == 0 and again.startswith("<!DOCTYPE html>")
    code, output = run("report", str(CONSTRUCTION), "-o", str(tmp_path / "no" / "r.html"))
    assert code == 2 and "cannot write" in output


# --- the page in headless Chromium --------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("OSS_RULES_REQUIRE_CHROMIUM"):
        pytest.fail("OSS_RULES_REQUIRE_CHROMIUM is set but chromium is not installed")
    pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    # The timeout only stops a hung browser; no assertion depends on how long it took.
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)


@pytest.fixture(scope="module")
def page_file(page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(page, "utf-8")
    return path


def test_chromium_shows_the_report_content(
    page_file: Path, results: list[Result], tmp_path: Path
) -> None:
    """The DOM Chromium builds from the page holds the matrix cells, findings, digests."""
    done = _run_chromium(tmp_path, "--dump-dom", page_file.as_uri())
    _check_content(parse(done.stdout), results)


# The report has no script. To measure its layout, a test copy gets one that posts the
# page's widths to a harness page, which shows the copy in a frame of the wanted width
# (headless Chromium's window is at least 500 px wide, so a phone's 390 px needs the
# frame) and writes the message into its own DOM for --dump-dom.
_MEASURE = """<script>
var wide = [];
document.querySelectorAll(".table-wrap").forEach(function (box) {
  if (box.scrollWidth > box.clientWidth) { wide.push(box.firstElementChild.className); }
});
parent.postMessage([document.documentElement.scrollWidth, window.innerWidth,
                    wide.join(",")].join(" "), "*");
</script></body>"""

_HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{page}" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>window.addEventListener("message", function (event) {{
  document.body.setAttribute("data-measure", event.data); }});</script></body></html>"""


def _layout(report: Path, width: int, tmp_path: Path) -> tuple[int, int, str]:
    """(document scrollWidth, innerWidth, classes of tables wider than their box) of
    ``report`` shown ``width`` CSS pixels wide."""
    copy = tmp_path / f"measured-{width}.html"
    copy.write_text(report.read_text("utf-8").replace("</body>", _MEASURE), "utf-8")
    harness = tmp_path / f"harness-{width}.html"
    harness.write_text(_HARNESS.format(page=copy.name, width=width, height=900), "utf-8")
    done = _run_chromium(
        tmp_path,
        f"--window-size={width + 40},900",
        "--virtual-time-budget=10000",
        "--dump-dom",
        harness.as_uri(),
    )
    match = re.search(r'data-measure="(\d+) (\d+) ?([^"]*)"', done.stdout)
    assert match, done.stdout[-500:]
    return int(match.group(1)), int(match.group(2)), match.group(3)


@pytest.mark.parametrize("width", [1280, 390])
def test_chromium_no_horizontal_overflow(demo: Path, width: int, tmp_path: Path) -> None:
    """The demo report is no wider than a 1,280 px screen or a 390 px phone, and no
    table inside it needs to scroll."""
    scroll, inner, wide = _layout(demo, width, tmp_path)
    assert inner == width
    assert scroll <= inner
    assert wide == ""


def test_chromium_renders_screenshots_and_a_pdf(demo: Path, tmp_path: Path) -> None:
    """The page renders to a PNG at both widths and prints to PDF, each workplace and
    employer on pages of its own (@media print)."""
    for width in (1280, 390):
        harness = tmp_path / f"shot-{width}.html"
        harness.write_text(_HARNESS.format(page=demo.as_uri(), width=width, height=2000))
        shot = tmp_path / f"shot-{width}.png"
        _run_chromium(
            tmp_path, f"--window-size={width + 40},2000", f"--screenshot={shot}", harness.as_uri()
        )
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = tmp_path / "report.pdf"
    _run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", demo.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    sections = len(parse(demo.read_text("utf-8")).find("section", class_="subject"))
    assert pages >= sections + 1, pages
