"""The command line's balances JSON written as a stream (issue 17): ``print_named_ints`` writes exactly what
``print_json`` writes for the same objects — the layout INTERCHANGE.md's readers and the golden comparisons see —
for any number of rows (the 5,000-row chunks' seams, none, one) and any loan number text."""

from __future__ import annotations

import pytest

from fundapp.cli.output import print_json, print_named_ints
from fundapp.services.reports import BALANCES_KEYS

NAMES = ["HD2024-001", "HĐ-Đà Nẵng/01", 'say "x"\\y', "tab\there", "\u0001ctl", "😀"]


@pytest.mark.parametrize("count", [0, 1, 2, 4999, 5000, 5001, 10001])
def test_the_balances_stream_is_print_json_byte_for_byte(capsys, count):
    rows = [(NAMES[i % len(NAMES)] + str(i), *(i * k - 7 * (k % 2) for k in range(len(BALANCES_KEYS) - 1)))
            for i in range(count)]
    print_json([dict(zip(BALANCES_KEYS, r, strict=True)) for r in rows])
    want = capsys.readouterr().out
    print_named_ints(BALANCES_KEYS, iter(rows))  # a generator: never all held
    assert capsys.readouterr().out == want
    assert want.startswith("[") and want.endswith("]\n")
