"""The code in docs/*.md works: every fenced block is run or checked, so the docs cannot drift.

How each block is treated, by its fence language:

* ``python``: executed. The blocks of one file share a namespace and run in order.
* ``yaml``: a ruleset. Leading ``#`` comments may say ``# file: DIR/NAME.yaml`` (write the
  block there; later blocks and commands can use it) and ``# expect: OSS0xx, ...`` (loading
  must fail with exactly these codes). Without ``# file:`` the block must start with
  ``ruleset:`` and is loaded on its own. Loading uses the namespace's ``registry`` if a
  python block defined one.
* ``json``: parsed; a document with ``"facts"`` is read as an input file.
* ``console``: ``$ oss-rules ...`` lines run through click's CliRunner; other ``$`` lines
  run in the shell (the docs use ``cp`` and ``sed``). A ``# exit N`` line sets the exit
  status expected of the next command (default 0). The lines shown after a command are
  its whole output, except where a line ``[...]`` says that lines are left out (see
  ``tests/shown.py`` for the exact rule, shared with the README's test).
* ``sh`` (installation commands) and ``text`` (layouts, pictures): not run.

Each file runs in its own scratch directory holding copies of ``examples/`` and
``rulesets/``, which stands in for the repository root, so commands can write files.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import shown
from click.testing import CliRunner

import oss_rules
from oss_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RUN = {"python", "yaml", "json", "console"}
SKIP = {"sh", "text"}
LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)")


@attrs.frozen
class Block:
    """One fenced block of a doc: where it starts, its language and its text."""

    doc: str
    line: int
    lang: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def _blocks(path: Path) -> list[Block]:
    source = path.read_text("utf-8")
    return [
        Block(path.name, source.count("\n", 0, m.start()) + 1, m.group(1), m.group(2))
        for m in FENCE.finditer(source)
    ]


DOC_FILES = sorted(DOCS.glob("*.md"))
ALL_BLOCKS = [b for path in DOC_FILES for b in _blocks(path)]
RUN_BLOCKS = [b for b in ALL_BLOCKS if b.lang in RUN]
# Docs whose blocks run the verifier on generated inventories: seconds to minutes each.
# A doc's blocks share a namespace and files, so the whole doc is slow or none of it.
SLOW_DOCS = {"property-testing.md"}


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


class _DocRun:
    """Runs the blocks of one doc in order, in its scratch directory, remembering failures."""

    def __init__(self, doc: str, workdir: Path) -> None:
        self.workdir = workdir
        self.blocks = [b for b in RUN_BLOCKS if b.doc == doc]
        self.namespace: dict[str, Any] = {"__name__": f"docs.{Path(doc).stem}"}
        self.done = 0
        self.failures: dict[str, BaseException] = {}

    def run_through(self, block: Block) -> None:
        """Run every block up to and including ``block``; re-raise its own failure."""
        while self.done <= self.blocks.index(block):
            current = self.blocks[self.done]
            self.done += 1
            try:
                with _cwd(self.workdir):
                    getattr(self, f"_run_{current.lang}")(current)
            except BaseException as error:
                self.failures[current.id] = error
        if block.id in self.failures:
            raise self.failures[block.id]

    def _run_python(self, block: Block) -> None:
        # Leading newlines make traceback line numbers those of the doc file.
        code = compile("\n" * block.line + block.text, str(DOCS / block.doc), "exec")
        exec(code, self.namespace)

    def _run_yaml(self, block: Block) -> None:
        comments = {}
        for line in block.text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition(":")
            comments[key.strip()] = value.strip()
        body = "\n".join(
            line for line in block.text.splitlines() if line.strip() and not line.startswith("#")
        )
        if "file" in comments:
            target = self.workdir / comments["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, "utf-8")
            header = target.parent / "ruleset.yaml"
            path = target.parent if header.exists() else target
        else:
            assert body.startswith("ruleset:"), (
                f"{block.id}: a yaml block needs `# file: ...` or must start with `ruleset:`"
            )
            path = Path(tempfile.mkdtemp(dir=self.workdir)) / "ruleset.yaml"
            path.write_text(block.text, "utf-8")
        registry = self.namespace.get("registry")
        if "expect" in comments:
            expected = {c.strip() for c in comments["expect"].split(",")}
            with pytest.raises(oss_rules.RulesetError) as info:
                oss_rules.load(path, registry=registry)
            assert {d.code for d in info.value.diagnostics} == expected, str(info.value)
        else:
            oss_rules.load(path, registry=registry)

    def _run_json(self, block: Block) -> None:
        data = json.loads(block.text)
        if isinstance(data, dict) and "facts" in data:
            oss_rules.read_inventory(data, self.namespace.get("registry"))

    def _run_console(self, block: Block) -> None:
        commands = shown.commands(block.text, block.line + 1)
        assert commands, f"{block.id}: a console block needs a `$ ` command"
        for command in commands:
            where = f"{block.doc}:{command.line}"
            argv = shlex.split(command.argv)
            if argv[0] == "oss-rules":
                args = [a for arg in argv[1:] for a in (sorted(glob.glob(arg)) or [arg])]
                result = CliRunner().invoke(main, args)
                output, status = result.output, result.exit_code
                if result.exception and not isinstance(result.exception, SystemExit):
                    raise AssertionError(f"{where}: oss-rules raised") from result.exception
            else:
                done = subprocess.run(
                    command.argv, shell=True, capture_output=True, text=True, check=False
                )
                output, status = done.stdout + done.stderr, done.returncode
            assert status == command.status, f"{where}: exit status {status}\n{output}"
            shown.assert_shown(command.shown, output, where)


@pytest.fixture(scope="session")
def doc_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, _DocRun]:
    """One runner per doc, each in a scratch copy of the repository's examples and rulesets."""
    runs = {}
    for path in DOC_FILES:
        workdir = tmp_path_factory.mktemp(path.stem)
        shutil.copytree(ROOT / "examples", workdir / "examples")
        shutil.copytree(ROOT / "rulesets", workdir / "rulesets", symlinks=False)
        runs[path.name] = _DocRun(path.name, workdir)
    return runs


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(b, id=b.id, marks=[pytest.mark.slow] if b.doc in SLOW_DOCS else [])
        for b in RUN_BLOCKS
    ],
)
def test_doc_block(block: Block, doc_runs: dict[str, _DocRun]) -> None:
    """The block runs (python), loads (yaml), parses (json) or behaves as shown (console)."""
    doc_runs[block.doc].run_through(block)


def test_every_block_has_a_known_language() -> None:
    """Every fenced block is one the tests run or one that is plainly not code."""
    unknown = [b.id + f" ```{b.lang}" for b in ALL_BLOCKS if b.lang not in RUN | SKIP]
    assert not unknown


def test_docs_exist_and_have_code() -> None:
    """The four docs exist and the tests find code in them."""
    names = {p.name for p in DOC_FILES}
    assert {"index.md", "getting-started.md", "rule-language.md", "architecture.md"} <= names
    assert len(RUN_BLOCKS) > 10


def _anchors(path: Path) -> set[str]:
    """The GitHub-style anchors of the headings of ``path`` (code blocks left out)."""
    text = FENCE.sub("", path.read_text("utf-8"))
    headings = re.findall(r"^#+\s+(.*)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("path", DOC_FILES, ids=[p.name for p in DOC_FILES])
def test_links_between_docs_resolve(path: Path) -> None:
    """Every relative link to a doc, and every #anchor, points at a file and heading that exist."""
    broken = []
    for match in LINK.finditer(path.read_text("utf-8")):
        target, anchor = match.group(1), match.group(2)
        if target.startswith(("http:", "https:")) or not (target.endswith(".md") or not target):
            continue
        file = path.parent / target if target else path
        if not file.exists() or (anchor and anchor not in _anchors(file)):
            broken.append(match.group(0))
    assert not broken
