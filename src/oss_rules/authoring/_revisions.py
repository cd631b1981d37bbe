"""Read a ruleset as it was at a git revision: ``rulesets/oss@HEAD~1`` for ``oss-rules diff``.

The files of ``PATH`` at ``REV`` are written to a directory of the caller's (with
``git archive``), so the ruleset loads as any other. A path given through a link
(``rulesets/oss`` links into the package) is followed in the working tree first.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from ..errors import RevisionError

__all__ = ["checkout", "split_revision"]


def split_revision(spec: str) -> tuple[str, str | None]:
    """``(PATH, REV)`` of ``PATH@REV``; ``(spec, None)`` for an existing path or no ``@``."""
    if Path(spec).exists() or "@" not in spec:
        return spec, None
    path, _, rev = spec.rpartition("@")
    return path or ".", rev


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise RevisionError("git is not installed: reading a ruleset at a revision needs it")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def checkout(path: str, rev: str, into: Path) -> Path:
    """The ruleset at ``path`` as of git revision ``rev``, written under ``into``.

    Raises :class:`~oss_rules.errors.RevisionError` when ``path`` is in no git
    repository, ``rev`` names no commit, or the commit has nothing at ``path``.
    """
    spec = f"{path}@{rev}"
    target = Path(path)
    existing = next(p for p in (target, *target.parents) if p.exists())
    start = existing if existing.is_dir() else existing.parent
    top = _git(start.resolve(), "rev-parse", "--show-toplevel")
    if top.returncode:
        raise RevisionError(f"{spec}: {path} is not in a git repository")
    root = Path(top.stdout.decode().strip()).resolve()
    absolute = target.resolve() if target.exists() else target.absolute()
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        raise RevisionError(f"{spec}: {path} is outside the git repository {root}") from None
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit.returncode:
        raise RevisionError(f"{spec}: no commit {rev!r} in the git repository {root}")
    sha = commit.stdout.decode().strip()
    name = relative.as_posix() or "."
    archive = _git(root, "archive", "--format=tar", sha, "--", name)
    if archive.returncode:
        raise RevisionError(f"{spec}: commit {rev} has no {name} (git: no such path)")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    found = into / relative
    if not found.exists():  # pragma: no cover - git archive refuses a missing path first
        raise RevisionError(f"{spec}: commit {rev} has no {name}")
    return found
