"""Which files make up a ruleset, and their digest (no YAML reading: cheap to import)."""

from __future__ import annotations

import hashlib
from pathlib import Path

HEADER_FILE = "ruleset.yaml"
"""The file of a ruleset directory that holds its id, version, params and sources."""


def ruleset_files(path: Path) -> list[Path]:
    """The YAML files that make up the ruleset at ``path`` (a directory or one file)."""
    if path.is_file():
        return [path]
    header = path / HEADER_FILE
    others = sorted(p for p in path.glob("*.yaml") if p.name != HEADER_FILE)
    return [header, *others] if header.exists() else others


def digest(files: list[Path], root: Path) -> str:
    """sha256 over each file's name (relative to ``root``) and bytes, in load order."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()
