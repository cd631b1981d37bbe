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
from oss_rules.model._fields import Choice, Integer, Text, field
from oss_rules.report import Evaluation, render_report

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


def matrix_cells(dom: Node) -> dict[tuple[str, str, int, int], tuple[str, set[str]]]:
    """(ruleset, workplace, likelihood, severity) -> (data-level, hazard ids listed)."""
    cells = {}
    for section in dom.find("section", class_="ruleset"):
        for matrix in section.find("table", class_="matrix"):
            for td in matrix.find("td", class_="cell"):
                key = (
                    section.attrs["data-ruleset"],
                    matrix.attrs["data-workplace"],
                    int(td.attrs["data-likelihood"]),
                    int(td.attrs["data-severity"]),
                )
                hazards = {li.attrs["data-hazard"] for li in td.find("li")}
                cells[key] = (td.attrs["data-level"], hazards)
    return cells


def table_rows(section: Node, class_: str) -> list[list[str]]:
    """The body rows of the tables of ``class_`` in ``section``, as cell texts."""
    rows = []
    for found in section.find("table", class_=class_):
        for tbody in found.find("tbody"):
            for tr in tbody.find("tr"):
                rows.append([_words(td.text()) for td in tr.find("td")])
    return rows


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "ruleset.yaml"
    path.write_text(TINY, "utf-8")
    return path


@pytest.fixture(scope="module")
def results(tiny_path: Path) -> list[Result]:
    """The construction example under oss and under tiny (likely_from overridden)."""
    inventory = oss_rules.read_inventory(CONSTRUCTION)
    engines = [
        Engine(oss_rules.load_default()),
        Engine(oss_rules.load(tiny_path), params={"likely_from": 2}),
    ]
    return [e.evaluate(inventory.facts, as_of=inventory.as_of) for e in engines]


@pytest.fixture(scope="module")
def page(results: list[Result]) -> str:
    return render_report([Evaluation("examples/construction.json", results)])


def _check_content(dom: Node, results: list[Result]) -> None:
    """What both the Python and the Chromium tests expect of the construction report."""
    sections = dom.find("section", class_="ruleset")
    assert [s.attrs["data-ruleset"] for s in sections] == ["oss", "tiny"]
    for section, result in zip(sections, results, strict=True):
        assert section.attrs["data-digest"] == result.ruleset.digest
        assert result.ruleset.digest in _words(section.text())
    cells = matrix_cells(dom)
    # Each hazard is in the cell of its likelihood and severity, in both matrices, and
    # the cell's level is the one the ruleset's Classification gave it.
    for result in results:
        rid = result.ruleset.id
        levels = {c.hazard: c.level for c in result.classifications}
        hazards = [f for f in result.given if isinstance(f, oss_rules.Hazard)]
        assert hazards
        for h in hazards:
            level, listed = cells[(rid, h.workplace, h.likelihood, h.severity)]
            assert h.id in listed
            assert level == levels[h.id]
        assert len([k for k in cells if k[0] == rid]) == 25
    assert cells[("oss", "site-a", 4, 5)] == ("high", {"h1"})
    assert cells[("tiny", "site-a", 4, 5)] == ("low", {"h1"})
    assert cells[("oss", "site-a", 5, 5)] == ("none", set())
    # Findings of each ruleset are in its own section, escaped text intact.
    oss_findings = table_rows(sections[0], "findings")
    assert len(oss_findings) == len(results[0].findings) > 0
    assert {(r[1], r[2]) for r in oss_findings} == {
        (f.code, f.subject) for f in results[0].findings
    }
    tiny_findings = table_rows(sections[1], "findings")
    assert tiny_findings[0][:4] == ["site-a", "likely", "h1", "likely <b>hazard</b>"]
    assert "Tiny source <one> & only." in tiny_findings[0][5]
    # Overrides are reported with the ruleset that got them.
    assert "likely_from = 2" in _words(sections[1].text())


# --- the page in pure Python -------------------------------------------------------


def test_report_content(page: str, results: list[Result]) -> None:
    """Digests, hazards in their matrix cells, findings, overrides: all in the page."""
    _check_content(parse(page), results)


def test_report_is_self_contained_and_printable(page: str) -> None:
    """No script, stylesheet link, image or frame; only in-page links; print CSS."""
    dom = parse(page)
    tags = {n.tag for n in dom.walk()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert all("src" not in n.attrs for n in dom.walk())
    hrefs = [n.attrs["href"] for n in dom.find("a")]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    ids = {n.attrs["id"] for n in dom.walk() if "id" in n.attrs}
    assert {h[1:] for h in hrefs} <= ids
    (style,) = dom.find("style")
    assert "@media print" in style.text() and "break-before: page" in style.text()
    assert page.startswith("<!DOCTYPE html>\n")


def test_levels_are_written_not_only_coloured(page: str) -> None:
    """Each classified hazard's cell says its level in words."""
    dom = parse(page)
    oss = dom.find("section", data_ruleset="oss")[0]
    cell = next(td for td in oss.find("td", class_="cell") if td.find("li"))
    assert _words(cell.text()).split()[-1] in {"low", "medium", "high"}


def test_obligations_show_proof_and_citations(page: str, results: list[Result]) -> None:
    """An obligation's row holds its proof (rule id, premises) and the cited source text."""
    oss = parse(page).find("section", data_ruleset="oss")[0]
    rows = table_rows(oss, "obligations")
    assert len(rows) == len(results[0].obligations)
    row = next(r for r in rows if r[1] == "OSS-II")
    assert "by rule" in row[2] and "given" in row[2]
    rules = {p.rule for p in [results[0].explain(o) for o in results[0].obligations]}
    assert any(rule and rule in row[2] for rule in rules)
    assert results[0].sources["seed-step2-matrix"] in row[3]


def test_action_plan_by_due_date_and_deadlines_by_urgency(page: str) -> None:
    """Actions come earliest first; deadlines overdue first, then due soon, then ok."""
    oss = parse(page).find("section", data_ruleset="oss")[0]
    dues = [r[0] for r in table_rows(oss, "actions")]
    assert dues and dues == sorted(dues)
    order = {"overdue": 0, "due_soon": 1, "ok": 2}
    deadlines = table_rows(oss, "deadlines")
    keys = [(order.get(r[0], 3), r[1]) for r in deadlines]
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


def test_same_facts_in_any_order_give_the_same_bytes(tiny_path: Path) -> None:
    """The report is deterministic: reversed input, same page."""
    inventory = oss_rules.read_inventory(CONSTRUCTION)
    engines = [Engine(oss_rules.load_default()), Engine(oss_rules.load(tiny_path))]

    def report(facts: tuple[Any, ...]) -> str:
        got = [e.evaluate(facts, as_of=inventory.as_of) for e in engines]
        return render_report([Evaluation("x.json", got)])

    assert report(inventory.facts) == report(tuple(reversed(inventory.facts)))


def test_a_ruleset_without_classifications_has_no_coloured_matrix(tiny_path: Path) -> None:
    """Cells are never coloured from guessed score bands: no Classification, no colour."""
    bare = tiny_path.parent / "bare.yaml"
    bare.write_text(BARE, "utf-8")
    inventory = oss_rules.read_inventory(CONSTRUCTION)
    engine = Engine(oss_rules.load(bare))
    result = engine.evaluate(inventory.facts, as_of=inventory.as_of)
    assert not result.classifications and result.findings
    dom = parse(render_report([Evaluation("x.json", [result])]))
    assert not matrix_cells(dom)
    assert not [n for n in dom.walk() if "level-high" in n.attrs.get("class", "")]
    assert "classifies no hazard" in dom.text()


# --- contributions and other derived types ------------------------------------------


@attrs.frozen
class Contribution:
    """A stand-in with the fields of id-bpjstk's Contribution, to test the totals
    without depending on that ruleset."""

    worker: str = field(Text(ident=True))
    programme: str = field(Choice(("JHT", "JP")))
    payer: str = field(Choice(("employer", "worker")))
    amount: int = field(Integer(0))


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
    """Amounts add up per programme and payer (ints, with separators), with a grand total."""
    result = _hand_made_result(
        [
            Contribution("a", "JHT", "employer", 159896),
            Contribution("a", "JHT", "worker", 86430),
            Contribution("b", "JHT", "employer", 444000),
            Contribution("b", "JP", "worker", 1110863),
            Note("w1", "a <note>"),
        ]
    )
    dom = parse(render_report([Evaluation("pay.json", [result])]))
    (section,) = dom.find("section", class_="ruleset")
    assert table_rows(section, "totals") == [
        ["JHT", "603,896", "86,430", "690,326"],
        ["JP", "0", "1,110,863", "1,110,863"],
        ["total", "603,896", "1,197,293", "1,801,189"],
    ]
    assert len(table_rows(section, "type-Contribution")) == 4
    assert table_rows(section, "type-Note") == [["w1", "a <note>"]]


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
    section = parse(render_report([Evaluation("x", [result])])).find("section", class_="ruleset")[0]
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
    assert len(dom.find("section", class_="evaluation")) == 2
    assert len(dom.find("section", class_="ruleset")) == 4
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
    """The DOM Chromium builds from the page holds the digests, matrix cells and findings."""
    done = _run_chromium(tmp_path, "--dump-dom", page_file.as_uri())
    _check_content(parse(done.stdout), results)


def test_chromium_renders_a_screenshot_and_a_pdf(page_file: Path, tmp_path: Path) -> None:
    """The page renders to a PNG and prints to PDF."""
    shot, pdf = tmp_path / "shot.png", tmp_path / "report.pdf"
    _run_chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}", page_file.as_uri())
    _run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page_file.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # Each ruleset and the input facts start a page of their own (@media print).
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 4, pages
