"""Provinces (34, from 2025) and the commune-level units of every province (3,321, from 1/7/2025), from resources/data.

``wards-2025.csv`` carries all 3,321 units with their codes (from the MIT-licensed ``vietnamadminunits``
package, see resources/data/README.md); Quảng Trị's 78 units also keep the clause of Resolution
1680/NQ-UBTVQH15 and the pre-reform district transcribed by hand in ``quang-tri-wards-2025.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from fundapp.domain.collation import vi_sorted
from fundapp.resources import resource_path

ALL_WARDS_FILE = "wards-2025.csv"
WARD_FILES = {"Tỉnh Quảng Trị": "quang-tri-wards-2025.csv"}  # hand-transcribed, preferred where present


@dataclass(frozen=True)
class Ward:
    """A commune-level unit of the province (xã, phường, đặc khu) since 1/7/2025, with the district it mostly
    came from, the clause that established it and its statistics code."""

    name: str  # "Xã Gio Linh", "Phường Đông Hà", "Đặc khu Cồn Cỏ"
    kind: str  # xã, phường, đặc khu
    legacy_district: str  # the district (before 1/7/2025) most of it came from ("" where unknown)
    source: str  # the clause of the resolution that established it, or the data package
    code: str = ""  # the statistics office's 5-digit code of the unit ("18880")


@cache
def provinces() -> tuple[str, ...]:
    """The 34 provincial-level units in force from 12/06/2025."""
    with open(resource_path("data", "provinces-2025.csv"), encoding="utf-8", newline="") as f:
        return tuple(row["name"] for row in csv.DictReader(f))


@cache
def _all_wards() -> dict[str, tuple[Ward, ...]]:
    out: dict[str, list[Ward]] = {}
    with open(resource_path("data", ALL_WARDS_FILE), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["province"], []).append(
                Ward(r["name"], r["kind"], r["legacy_district"], "vietnamadminunits 1.0.4", r["code"]))
    return {p: tuple(ws) for p, ws in out.items()}


@cache
def wards(province: str) -> tuple[Ward, ...]:
    """The commune-level units of ``province`` (a name of ``provinces()``; empty for an unknown name).

    Every unit has its code; a province with a hand-transcribed file (Quảng Trị) keeps that file's
    order, pre-reform districts and resolution clauses.
    """
    units = _all_wards().get(province, ())
    name = WARD_FILES.get(province)
    if name is None:
        return units
    codes = {w.name: w.code for w in units}
    with open(resource_path("data", name), encoding="utf-8", newline="") as f:
        return tuple(Ward(r["name"], r["kind"], r["legacy_district"], r["source"], codes.get(r["name"], ""))
                     for r in csv.DictReader(f))


def provinces_first(own: str) -> tuple[str, ...]:
    """The 34 provinces with ``own`` (the fund's province, a setting) first, the rest in the shipped order."""
    rest = tuple(p for p in provinces() if p != own)
    return (own, *rest) if own in provinces() else rest


def legacy_districts(province: str) -> tuple[str, ...]:
    """The districts (before 1/7/2025) that the shipped wards came from, in Vietnamese order."""
    return tuple(vi_sorted({w.legacy_district for w in wards(province) if w.legacy_district}))
