"""The ``oss-rules`` command line: one module per command group, shared options in
``_common``."""

from ._main import main

__all__ = ["main"]
