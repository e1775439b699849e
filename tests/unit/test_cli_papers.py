"""`fundapp contract|acknowledgment|appraisal|decision|release LOAN_NO --docx F` (issue 16)."""

import io

from fundapp.cli import main


def test_cli_writes_the_acknowledgment_of_a_tranche(tmp_path, capsys):
    from docx import Document

    book = tmp_path / "b.sqlite"
    assert main(["--db", str(book), "import", "../shared/golden/sample-fund"]) == 0
    out = tmp_path / "kunn.docx"
    assert main(["--db", str(book), "acknowledgment", "HD2022-002", "--reference", "GN-00003", "--docx", str(out)]) == 0
    text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "số tiền 480.000.000 đồng (bằng chữ: Bốn trăm tám mươi triệu đồng)" in text
    assert "ngày hai mươi bảy tháng bảy năm hai nghìn không trăm hai mươi hai (27/07/2022)" in text
    assert main(["--db", str(book), "contract", "HD2022-002"]) == 2
    assert "--docx" in capsys.readouterr().err


def test_cli_coverage_report(tmp_path, capsys):
    import csv

    book = tmp_path / "b.sqlite"
    assert main(["--db", str(book), "import", "../shared/golden/sample-fund"]) == 0
    capsys.readouterr()
    assert main(["--db", str(book), "report", "coverage", "--as-of", "2024-12-31", "--format", "csv"]) == 0
    rows = {r["loan_no"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["HD2022-002"]["outstanding"] == "320000000" and rows["HD2022-002"]["coverage_percent"] == "0.00"
    assert all(r["below_threshold"] == "True" for r in rows.values())  # the sample book pledges nothing


def test_cli_papers_take_register_numbers_and_a_draft_none(tmp_path, capsys, monkeypatch):
    """Two contracts and one acknowledgment issued from the command line: 01, 02 of HĐTD and 01 of KUNN, printed in
    the .docx and listed by `fundapp documents`; a draft and a refused issue (a contract dated after today) take
    none."""
    import csv

    from docx import Document

    def number_line(path):
        doc = Document(io.BytesIO(path.read_bytes()))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return next(line for c in cells for line in c.split("\n") if line.startswith("Số:"))

    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = tmp_path / "b.sqlite"
    assert main(["--db", str(book), "import", "../shared/golden/sample-fund"]) == 0
    a, b, k, d = (tmp_path / f"{n}.docx" for n in ("a", "b", "k", "draft"))
    assert main(["--db", str(book), "contract", "HD2024-001", "--docx", str(a)]) == 0
    assert main(["--db", str(book), "contract", "HD2022-002", "--docx", str(b)]) == 0
    assert main(["--db", str(book), "acknowledgment", "HD2022-002", "--reference", "GN-00003", "--docx", str(k)]) == 0
    assert main(["--db", str(book), "decision", "HD2022-002", "--draft", "--docx", str(d)]) == 0
    assert "(số 02/HĐTD-QHT)" in capsys.readouterr().out
    assert [number_line(p) for p in (a, b, k, d)] == [
        "Số: 01/HĐTD-QHT", "Số: 02/HĐTD-QHT", "Số: 01/KUNN-QHT", "Số: HD2022-002/QĐ-QHT (bản nháp, chưa cấp số)"]
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-01-02")  # before HD2024-019's contract: refused, no number taken
    assert main(["--db", str(book), "contract", "HD2024-019", "--docx", str(tmp_path / "x.docx")]) == 2
    err = capsys.readouterr().err
    assert "Không lập được giấy tờ cho ngày sau hôm nay: hợp đồng tín dụng ngày" in err and "nghiệp vụ" not in err
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    assert main(["--db", str(book), "documents", "--year", "2024", "--format", "csv"]) == 0
    rows = [(r["so"], r["loai"], r["khoan_vay"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert rows == [("01/HĐTD-QHT", "Hợp đồng tín dụng", "HD2024-001"), ("02/HĐTD-QHT", "Hợp đồng tín dụng", "HD2022-002"),
                    ("01/KUNN-QHT", "Khế ước nhận nợ", "HD2022-002")]


def test_cli_loan_pdfs_say_the_number_each_took(tmp_path, capsys, monkeypatch):
    """statement, schedule-pdf, receipt and reconciliation are one path (services.documents.write_document): each
    writes its PDF and says the register's number it took, as the Word papers and event documents do."""
    import csv

    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    book = tmp_path / "b.sqlite"
    assert main(["--db", str(book), "import", "../shared/golden/sample-fund"]) == 0
    capsys.readouterr()
    runs = {"statement": ["--as-of", "2024-06-30"], "schedule-pdf": [], "receipt": ["--reference", "GN-00003"],
            "reconciliation": ["--as-of", "2024-06-30"]}
    for command, extra in runs.items():
        pdf = tmp_path / f"{command}.pdf"
        assert main(["--db", str(book), command, "HD2022-002", *extra, "--pdf", str(pdf)]) == 0, command
        assert pdf.read_bytes().startswith(b"%PDF")
    out = capsys.readouterr().out.splitlines()
    assert out == [f"Đã ghi {tmp_path / 'statement.pdf'} (số 01/SK-QHT)",
                   f"Đã ghi {tmp_path / 'schedule-pdf.pdf'} (số 01/LTN-QHT)",
                   f"Đã ghi {tmp_path / 'receipt.pdf'} (số 01/GNN-QHT)",
                   f"Đã ghi {tmp_path / 'reconciliation.pdf'} (số 01/BB-QHT)"]
    assert main(["--db", str(book), "documents", "--year", "2024", "--format", "csv"]) == 0
    rows = [(r["so"], r["khoan_vay"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert sorted(rows) == [("01/BB-QHT", "HD2022-002"), ("01/GNN-QHT", "HD2022-002"), ("01/LTN-QHT", "HD2022-002"),
                            ("01/SK-QHT", "HD2022-002")]  # the register lists by code
