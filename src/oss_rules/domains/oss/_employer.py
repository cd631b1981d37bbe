"""The employer behind one or more workplaces: the legal entity that registers, pays and reports.

Shared by every shipped ruleset: the OSS module policy (registration submissions), the
BPJS Ketenagakerjaan contributions (business scale, JKK risk group) and K3 applicability
(headcount, hazard potential). Identifiers are plain text here on purpose: a malformed
NIB must reach :func:`oss_rules.domains.oss.registration.build_submission`, which lists every
problem of a submission at once, instead of failing the whole evaluation.
"""

from __future__ import annotations

import attrs

from ...model._fields import Boolean, Choice, Integer, Optional, Text, field

SCALES = ("micro", "small", "medium", "large")
"""Business scales (Perpres 109/2013 Pasal 6 sets the BPJS programmes by scale)."""

JKK_GROUPS = ("I", "II", "III", "IV", "V")
"""JKK risk groups of PP 44/2015 Lampiran I, lowest risk first."""

OSS_RISK_LEVELS = ("low", "medium_low", "medium_high", "high")
"""Risk levels of OSS risk-based business licensing (rendah, menengah rendah,
menengah tinggi, tinggi)."""

_ID = Text(ident=True)


@attrs.frozen
class Employer:
    """A company: its identifiers, scale and the inputs that enacted law keys on."""

    id: str = field(_ID)
    name: str = field(Text())
    scale: str = field(Choice(SCALES))
    nib: str | None = field(Optional(Text()), default=None)
    """Nomor Induk Berusaha, the business identification number issued through OSS."""
    npwp: str | None = field(Optional(Text()), default=None)
    """Tax identification number."""
    bpjstk_number: str | None = field(Optional(Text()), default=None)
    """The employer's BPJS Ketenagakerjaan registration number."""
    address: str | None = field(Optional(Text()), default=None)
    sector: str | None = field(Optional(Text()), default=None)
    headcount: int = field(Integer(0), default=0)
    """Workers employed by the company across all its workplaces."""
    jkk_group: str | None = field(Optional(Choice(JKK_GROUPS)), default=None)
    """The JKK risk group BPJS set for the company; a ruleset may suggest one from the sector."""
    labour_intensive: bool = field(Boolean(), default=False)
    """In one of the labour-intensive industries of PP 7/2025 (JKK discount)."""
    high_hazard_potential: bool = field(Boolean(), default=False)
    """Has a high hazard-potential level in the sense of PP 50/2012 Pasal 5 (SMK3)."""
    oss_risk_level: str | None = field(Optional(Choice(OSS_RISK_LEVELS)), default=None)
    """The business-licensing risk level (P2K3 trigger of Permenaker 13/2025)."""
