"""Regenerate resources/data/wards-2025.csv from the MIT-licensed `vietnamadminunits` package.

Usage: pip download --no-deps vietnamadminunits==1.0.4; unzip the wheel; then
    python scripts/build_wards.py PATH/TO/vietnamadminunits/data

Each of the 3,321 commune-level units in force from 1/7/2025 gets its province code and name, its
own code (the statistics office's 5-digit code), its name, its kind (xã, phường, đặc khu) and the
pre-reform district (and province) most of its former units came from, by the package's converter.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "data" / "wards-2025.csv"


def main(data_dir: str) -> int:
    data = Path(data_dir)
    db = sqlite3.connect(data / "dataset.db")
    conv = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    legacy = {
        (p, d, w): (pn, dn)
        for p, d, w, pn, dn in db.execute(
            "SELECT provinceKey, districtKey, wardKey, province, district FROM admin_units_legacy"
        )
    }
    votes: dict[tuple[str, str], Counter] = {}

    def vote(new_prov: str, new_ward: str, old_key: str) -> None:
        p, d, w = old_key.split("_", 2)
        if (p, d, w) in legacy:
            votes.setdefault((new_prov, new_ward), Counter())[legacy[(p, d, w)]] += 1

    for prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            for old in olds:
                vote(prov, ward, old)
    for prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for n in news:
                vote(prov, n["newWardKey"], old)
    rows = []
    for pcode, pname, pkey, code, name, kind, wkey in db.execute(
        "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey FROM admin_units"
        " ORDER BY provinceCode, wardCode"
    ):
        best = votes.get((pkey, wkey))
        lp, ld = best.most_common(1)[0][0] if best else ("", "")
        rows.append([pcode, pname, code, name, kind.lower(), ld, lp])
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["province_code", "province", "code", "name", "kind", "legacy_district", "legacy_province"])
        w.writerows(rows)
    print(f"{len(rows)} units written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
