"""Small, valid office files for the demo's working groups, built in code (no binary in the repository).

Each builder is deterministic: the same text gives the same bytes, so a test can compare a download with
what the seed stored. The files are minimal but open in the usual readers: a PDF with one page of text,
an OpenDocument text, a Word document, an Excel workbook and a CSV file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

# Zip entries carry a date: a fixed one keeps the bytes the same from one seed to the next.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi encoding (the standard fonts' own), with its delimiters escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf(title: str, paragraphs: Sequence[str]) -> bytes:
    """A one-page A4 PDF 1.4: the title in bold, then one line per paragraph (Helvetica, no embedded font)."""
    lines = [b"BT", b"/F2 16 Tf", b"56 780 Td", _pdf_text(title) + b" Tj", b"/F1 11 Tf", b"0 -28 Td"]
    for paragraph in paragraphs:
        lines += [_pdf_text(paragraph) + b" Tj", b"0 -18 Td"]
    lines.append(b"ET")
    stream = b"\n".join(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        # The document information is in PDFDocEncoding or UTF-16: UTF-16 keeps every character of the title.
        b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> /Producer (CASI Bretagne) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _zip(entries: Sequence[tuple[str, str | bytes]], *, stored_first: bool = False) -> bytes:
    """A zip archive; with `stored_first`, the first entry is stored uncompressed (OpenDocument's mimetype)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for position, (name, content) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            stored = stored_first and position == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


def odt(title: str, paragraphs: Sequence[str]) -> bytes:
    """An OpenDocument text: the mimetype entry first and stored, the manifest, the content."""
    body = f'<text:h text:outline-level="1">{escape(title)}</text:h>' + "".join(
        f"<text:p>{escape(paragraph)}</text:p>" for paragraph in paragraphs
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{ODT_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _zip(
        [("mimetype", ODT_MIMETYPE), ("META-INF/manifest.xml", manifest), ("content.xml", content)],
        stored_first=True,
    )


_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _content_types(overrides: dict[str, str]) -> str:
    parts = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{parts}</Types>'
    )


def _relationships(target: str, kind: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{_OFFICE_RELATIONSHIPS}/{kind}" Target="{target}"/></Relationships>'
    )


def docx(title: str, paragraphs: Sequence[str]) -> bytes:
    """A Word document (Office Open XML): content types, the package relationship, the document part."""
    runs = [(title, True), *[(paragraph, False) for paragraph in paragraphs]]
    body = "".join(
        "<w:p><w:r>"
        + ('<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' if bold else "")
        + f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        for text, bold in runs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    content_types = _content_types(
        {"/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", _relationships("word/document.xml", "officeDocument")),
            ("word/document.xml", document),
        ]
    )


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: str | int | float) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def xlsx(sheet_name: str, rows: Sequence[Sequence[str | int | float]]) -> bytes:
    """An Excel workbook of one sheet: numbers as numbers, text as inline strings (no shared strings part)."""
    sheet_rows = "".join(
        f'<row r="{number}">'
        + "".join(_cell(f"{_column(col)}{number}", value) for col, value in enumerate(row))
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_rows}</sheetData></worksheet>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{_OFFICE_RELATIONSHIPS}">'
        f'<sheets><sheet name="{escape(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    content_types = _content_types(
        {
            "/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        }
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", _relationships("xl/workbook.xml", "officeDocument")),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", _relationships("worksheets/sheet1.xml", "worksheet")),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    )


def csv_file(rows: Sequence[Sequence[str | int | float]]) -> bytes:
    """UTF-8 with a byte-order mark and semicolons: what a French spreadsheet opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode()


def txt(title: str, paragraphs: Sequence[str]) -> bytes:
    return "\n\n".join([title, *paragraphs]).encode() + b"\n"


def build(name: str, *, heading: str = "", lines: Sequence[str] = (), rows: Sequence[Sequence] = ()) -> bytes:
    """The file `name` (its extension chooses the format) holding `heading` and `lines`, or `rows`."""
    stem, _dot, extension = name.rpartition(".")
    extension = extension.lower()
    if extension == "csv":
        return csv_file(rows)
    if extension == "xlsx":
        return xlsx("".join(c for c in stem if c not in "[]:*?/\\")[:31] or "Feuille 1", rows)
    builders = {"pdf": pdf, "odt": odt, "docx": docx, "txt": txt}
    if extension not in builders:
        raise ValueError(f"No demo builder for .{extension} files.")
    return builders[extension](heading or stem, lines)


def document_bytes(spec, version: int = 1) -> bytes:
    """The bytes of a demo document (a data.DocumentSpec); version 2 adds its `update` lines or rows."""
    update = tuple(spec.update) if version > 1 else ()
    if spec.rows:
        return build(spec.name, rows=(*spec.rows, *update))
    return build(spec.name, heading=spec.heading, lines=(*spec.lines, *update))
