"""What people read: the self-contained HTML audit report and the terminal text of
``oss-rules evaluate``."""

from ._page import TITLE, Evaluation, render_report

__all__ = ["TITLE", "Evaluation", "render_report"]
