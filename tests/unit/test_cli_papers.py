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
