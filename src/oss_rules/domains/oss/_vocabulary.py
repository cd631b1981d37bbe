"""The words of the OSS domain that facts of several modules share.

Kept apart from :mod:`oss_rules.domains.oss.facts` so that the other fact modules, which
``facts.py`` imports, can use them without a circular import.
"""

from __future__ import annotations

CATEGORIES = (
    "machinery",
    "chemical",
    "ergonomic",
    "psychosocial",
    "fall",
    "electrical",
    "biological",
    "noise",
    "vehicle",
    "thermal",
)
"""Hazard categories the default fact model accepts."""

SETTINGS = ("field", "plant", "office", "digital")
"""Workplace settings."""

MODULES = ("OSS-I", "OSS-II", "OSS-III")
"""The OSS modules a workplace can declare or be obliged to run."""

LEVELS = ("low", "medium", "high")
"""Risk levels of the 5x5 matrix, lowest first."""

REPORTERS = ("safety_officer", "worker", "supervisor")
"""Who may report a hazard."""

DEADLINE_STATUSES = ("ok", "due_soon", "overdue")
"""How urgent a deadline is, least urgent first."""
