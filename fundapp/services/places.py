"""Provinces (34, from 2025) and the wards of a province (post-July-2025 list), from resources/data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from fundapp.domain.collation import vi_sorted
from fundapp.resources import resource_path

WARD_FILES = {"Tỉnh Quảng Trị": "quang-tri-wards-2025.csv"}


@dataclass(frozen=True)
class Ward:
    name: str  # "Xã Gio Linh", "Phường Đông Hà", "Đặc khu Cồn Cỏ"
    kind: str  # xã, phường, đặc khu
    legacy_district: str  # the district (before 1/7/2025) most of it came from
    source: str  # the clause of the resolution that established it


@cache
def provinces() -> tuple[str, ...]:
    """The 34 provincial-level units in force from 12/06/2025."""
    with open(resource_path("data", "provinces-2025.csv"), encoding="utf-8", newline="") as f:
        return tuple(row["name"] for row in csv.DictReader(f))


@cache
def wards(province: str) -> tuple[Ward, ...]:
    """The commune-level units of ``province`` (empty when the list for it is not shipped)."""
    name = WARD_FILES.get(province)
    if name is None:
        return ()
    with open(resource_path("data", name), encoding="utf-8", newline="") as f:
        return tuple(Ward(r["name"], r["kind"], r["legacy_district"], r["source"]) for r in csv.DictReader(f))


def legacy_districts(province: str) -> tuple[str, ...]:
    """The districts (before 1/7/2025) that the shipped wards came from, in Vietnamese order."""
    return tuple(vi_sorted({w.legacy_district for w in wards(province)}))
