"""What an employer takes on with each OSS module: the responsibilities a submission states.

Each text carries the source it comes from: the source article (the "seed", whose
section ids are those of the shipped ruleset's ``sources``) or an Indonesian regulation.
Only facts marked verified in the project's research notes are stated; see
docs/registration.md for the evidence of each.
"""

from __future__ import annotations

import attrs

__all__ = ["RESPONSIBILITIES", "Responsibility"]


@attrs.frozen
class Responsibility:
    """One thing the employer must do because a module is required, and its source."""

    module: str
    text: str
    source: str


_SEED_STEP1 = "Source article, step 1: map hazards (seed-step1)"
_SEED_MATRIX = "Source article, step 2: classify risks (seed-step2-matrix)"
_SEED_ACTIONS = "Source article, step 2: preventive actions (seed-step2-actions)"
_SEED_PITFALLS = "Source article, pitfalls: outdated assessments (seed-pitfalls)"
_SEED_OSS2 = "Source article, step 2: OSS II (seed-step2-oss2); oss_rules issue 3 (spec-issue-3)"
_SEED_OSS3 = "Source article, step 2: OSS III (seed-step2-oss3)"
_ACCIDENT_REPORT = "Permenaker 5/2021 Pasal 8, as amended by Permenaker 1/2025"
_PAYMENT = "PP 44/2015 (due date and late fee, as summarised by kontan.co.id)"
_EMPLOYER_PAYS = "PP 44/2015 Pasal 16 ayat (1) (JKK) and Pasal 18 ayat (1) (JKM)"

RESPONSIBILITIES: tuple[Responsibility, ...] = (
    Responsibility(
        "OSS-I",
        "Keep a hazard inventory of the workplace: each hazard's category, likelihood "
        "(1-5) and severity (1-5).",
        _SEED_STEP1,
    ),
    Responsibility(
        "OSS-I",
        "Classify every hazard on the 5x5 likelihood x severity matrix.",
        _SEED_MATRIX,
    ),
    Responsibility(
        "OSS-I",
        "Document a preventive action for each medium or high hazard, following the "
        "hierarchy of controls, and complete it by its due date.",
        _SEED_ACTIONS,
    ),
    Responsibility(
        "OSS-I",
        "Reassess the workplace's risks at least once a year.",
        _SEED_PITFALLS,
    ),
    Responsibility(
        "OSS-II",
        "Run the medical programme (enhanced medical response) for the high physical "
        "hazards and the medium or high chemical and biological hazards.",
        _SEED_OSS2,
    ),
    Responsibility(
        "OSS-II",
        "Report every work accident and occupational disease to the labour office and to "
        "BPJS Ketenagakerjaan within 2 x 24 hours; after a late report the JKK benefits "
        "are the employer's liability until BPJS reimburses them.",
        _ACCIDENT_REPORT,
    ),
    Responsibility(
        "OSS-III",
        "Track the compensation and benefits owed to the workplace's workers.",
        _SEED_OSS3,
    ),
    Responsibility(
        "OSS-III",
        "Pay the BPJS Ketenagakerjaan contributions of each month by the 15th of the "
        "following month; a late payment costs 2% of the contribution due per month late.",
        _PAYMENT,
    ),
    Responsibility(
        "OSS-III",
        "Pay the whole JKK (work injury) and JKM (death) contribution: the worker pays "
        "no share of either.",
        _EMPLOYER_PAYS,
    ),
)
"""Every module's responsibilities, in the order a submission lists them."""
