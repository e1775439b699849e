"""Every FUNDAPP_* value is read and refused one way (ledger.environment.environment_value): the same wording for a
bad whole number and a bad day (issue 13, last reader: services/clock.py's FUNDAPP_TODAY had its own parsing and
sentence beside environment.whole_number), the variable, its value, what it takes and an example named."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.ledger.environment import whole_number
from fundapp.services.clock import fixed_today_from_env
from fundapp.services.errors import UserFacingError


def test_a_bad_day_and_a_bad_number_are_refused_in_the_same_words(monkeypatch):
    monkeypatch.setenv("FUNDAPP_TODAY", "31/12/2024")
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", "-1")
    with pytest.raises(UserFacingError) as day:
        fixed_today_from_env()
    with pytest.raises(UserFacingError) as number:
        whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2)
    assert day.value.msg.msgid == number.value.msg.msgid
    assert (day.value.field, number.value.field) == ("FUNDAPP_TODAY", "FUNDAPP_IMPORT_CHECKPOINTS")
    assert day.value.vi == ("Biến môi trường FUNDAPP_TODAY=31/12/2024 không hợp lệ: cần một ngày YYYY-MM-DD (ví dụ "
                            "FUNDAPP_TODAY=2024-12-31), hoặc bỏ biến này để dùng ngày hôm nay")
    assert number.value.vi == ("Biến môi trường FUNDAPP_IMPORT_CHECKPOINTS=-1 không hợp lệ: cần một số nguyên không âm "
                               "(ví dụ FUNDAPP_IMPORT_CHECKPOINTS=2), hoặc bỏ biến này để dùng mặc định 2")
    assert day.value.en == ("Environment variable FUNDAPP_TODAY=31/12/2024 is not valid: it takes a date YYYY-MM-DD "
                            "(for example FUNDAPP_TODAY=2024-12-31), or unset it to use today's date")
    monkeypatch.setenv("FUNDAPP_TODAY", " 2024-11-15 ")
    monkeypatch.setenv("FUNDAPP_IMPORT_CHECKPOINTS", "")
    assert (fixed_today_from_env(), whole_number("FUNDAPP_IMPORT_CHECKPOINTS", 2)) == (date(2024, 11, 15), 2)
