"""Word documents from the fund's .docx templates (docxtpl: Jinja tags inside Word), and their PDF via LibreOffice.

The context is plain text already formatted by the services (amounts "1.330.000.000", words, dates); nothing
here computes a figure. docxtpl (LGPL-2.1) and python-docx are imported only when a document is made.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from fundapp.domain.messages import msg

# A context schema: key → None (a text), or a tuple of the keys of each row of a list (tables, {%tr for %})
Schema = Mapping[str, tuple[str, ...] | None]


class TemplateError(Exception):
    """A template that cannot be used: ``problems`` are sentences (the officer's language) naming each bad tag."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _parsed(data: bytes):
    """The Jinja syntax tree of a .docx template's body, headers and footers (as docxtpl sees it)."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    tpl = DocxTemplate(io.BytesIO(data))
    doc = Document(io.BytesIO(data))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return Environment().parse(xml)


def check_template(data: bytes, schema: Schema) -> list[str]:
    """The problems of template ``data`` (a .docx's bytes) against ``schema``: unknown top-level names, unknown
    fields of a table's rows ("r.amout"), a Jinja syntax error, or a file that is not a Word document. Returns
    sentences naming each bad tag, in the officer's language (catalogue templates); [] when the template can be
    used."""
    from jinja2 import TemplateSyntaxError, nodes

    try:
        tree = _parsed(data)
    except TemplateSyntaxError:  # Jinja's own sentence is English and names XML lines, not the officer's words
        return [str(msg("Thẻ mẫu viết sai cú pháp: một thẻ «{open} … {close}» hoặc «{{% … %}}» chưa đóng, hoặc "
                        "«{{% for %}}» thiếu «{{% endfor %}}»", open="{{", close="}}"))]
    except Exception:  # a zip that is no docx, a damaged file: one sentence, no library text
        return [str(msg("Tệp không phải là văn bản Word (.docx) đọc được"))]
    problems: list[str] = []
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    seen: set = set()
    for name in tree.find_all(nodes.Name):
        if name.ctx != "load" or name.name in assigned or name.name in ("loop", "range"):
            continue
        if name.name not in schema and name.name not in seen:
            seen.add(name.name)
            problems.append(str(msg("Thẻ «{tag}» không có trong dữ liệu của mẫu", tag=f"{{{{ {name.name} }}}}")))
    for loop in tree.find_all(nodes.For):  # the fields of each table's rows: {% for r in schedule %}{{ r.due_date }}
        if not (isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Name)):
            continue
        rows = schema.get(loop.iter.name)
        if rows is None:
            continue
        for part in loop.body:
            for attr in part.find_all(nodes.Getattr):
                if isinstance(attr.node, nodes.Name) and attr.node.name == loop.target.name and attr.attr not in rows:
                    tag = f"{loop.target.name}.{attr.attr}"
                    if (loop.iter.name, tag) not in seen:
                        seen.add((loop.iter.name, tag))
                        problems.append(str(msg("Thẻ «{tag}» không có trong dòng của bảng «{table}»",
                                                tag=f"{{{{ {tag} }}}}", table=loop.iter.name)))
    return problems


def render(data: bytes, context: Mapping[str, object], schema: Schema) -> bytes:
    """The .docx made from template ``data`` with ``context`` (plain text and lists of row dicts).
    Raises TemplateError when the template does not pass ``check_template``."""
    from docxtpl import DocxTemplate, Listing

    problems = check_template(data, schema)
    if problems:
        raise TemplateError(problems)
    tpl = DocxTemplate(io.BytesIO(data))
    # a text of several lines ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC") keeps its line breaks in Word
    values = {k: Listing(v) if isinstance(v, str) and "\n" in v else v for k, v in context.items()}
    tpl.render(values, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def soffice() -> str | None:
    """The LibreOffice program (``soffice``) if installed with Writer, else None."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        return None
    program = Path(path).resolve().parent
    # Writer's library (Debian's libreoffice-writer-nogui); Calc alone cannot open a .docx
    return path if any(program.glob("libswlo.*")) or any(program.glob("swriter*")) else None


def to_pdf(docx: bytes, timeout: float = 180) -> bytes | None:
    """The PDF of a .docx converted by LibreOffice headless (its own throwaway profile, so an open LibreOffice
    does not block it); None when LibreOffice Writer is not installed or the conversion fails."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="fundapp-docx-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        profile = Path(tmp, "profile").as_uri()
        try:
            subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=timeout)
        except (OSError, subprocess.SubprocessError):
            return None
        pdf = Path(tmp) / "document.pdf"
        return pdf.read_bytes() if pdf.exists() else None
