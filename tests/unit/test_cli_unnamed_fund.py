"""A book whose fund never entered its name prints no province on its papers from the command line: the heading
carries dotted blanks ("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ ……") and stderr says "Chưa nhập tên Quỹ: …" and where to
enter it (the GUI asks first; the command line cannot). A named book prints its own name and no warning."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from fundapp import cli
from tests import golden


def _text(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_fresh_book_prints_blanks_and_warns(tmp_path, capsys):
    book = tmp_path / "new.sqlite"
    assert cli.main(["--db", str(book), "import", str(golden.SAMPLE)]) == 0
    capsys.readouterr()
    pdf = tmp_path / "sk.pdf"
    assert cli.main(["--db", str(book), "statement", "HD2024-019", "--as-of", "2024-12-31", "--pdf", str(pdf)]) == 0
    err = capsys.readouterr().err
    assert "Chưa nhập tên Quỹ:" in err and "Cài đặt" in err
    t = _text(pdf)
    assert "QUẢNG TRỊ" not in t and "Quảng Trị, ngày" not in t  # the borrower's own address may name it
    assert "QUỸHỖTRỢPHÁTTRIỂNHỢPTÁCXÃ……" in "".join(t.split()) and "HD2024-019" in t
    # the quarterly report too (its heading and its place line)
    q = tmp_path / "q.pdf"
    assert cli.main(["--db", str(book), "report", "quarterly", "--year", "2024", "--quarter", "4", "--pdf", str(q)]) == 0
    assert "Chưa nhập tên Quỹ:" in capsys.readouterr().err
    assert "QUẢNG TRỊ" not in _text(q) and "Quảng Trị, ngày" not in _text(q)
    # a command without papers says nothing about it
    assert cli.main(["--db", str(book), "balances", "--as-of", "2024-12-31", "--format", "json"]) == 0
    assert "Chưa nhập tên Quỹ" not in capsys.readouterr().err


def test_a_named_book_prints_its_own_name_without_warning(tmp_path, capsys):
    from fundapp.app import open_book
    from fundapp.services.settings import load_settings, save_settings

    book = tmp_path / "named.sqlite"
    assert cli.main(["--db", str(book), "import", str(golden.SAMPLE)]) == 0
    ctx = open_book(str(book), user="tester")
    save_settings(ctx, replace(load_settings(ctx), parent_body="LIÊN MINH HỢP TÁC XÃ TỈNH NGHỆ AN",
                               fund_name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH NGHỆ AN", province="Tỉnh Nghệ An",
                               place="Nghệ An"))
    ctx.db.dispose()
    capsys.readouterr()
    pdf = tmp_path / "sk.pdf"
    assert cli.main(["--db", str(book), "statement", "HD2024-019", "--as-of", "2024-12-31", "--pdf", str(pdf)]) == 0
    assert "Chưa nhập tên Quỹ" not in capsys.readouterr().err
    t = _text(pdf)
    assert "NGHỆAN" in "".join(t.split()) and "QUẢNG TRỊ" not in t and "……………" not in t.split("HD2024-019")[0]
