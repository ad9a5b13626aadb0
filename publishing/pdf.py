"""A small real PDF writer for placeholder documents (the demo's) and tests: Helvetica text on
A4 pages, which any reader (pypdf at upload, PDFium in the gate) reads back. Not for published
reports."""


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(line: str, width: int = 88) -> list[str]:
    words, lines, current = line.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return lines


def placeholder_pdf(pages: list[list[str]]) -> bytes:
    """A small real PDF (Helvetica, A4) with the given lines of text on each page, which any
    reader reads back."""
    objects: list[bytes] = []
    font_id = 3
    page_ids = []
    next_id = 4
    bodies = []
    for lines in pages:
        wrapped = [piece for line in lines for piece in (_wrap(line) if line else [""])]
        stream = (
            b"BT /F1 11 Tf 56 790 Td 15 TL "
            + b" ".join(_pdf_string(line) + b" Tj T*" for line in wrapped[:50])
            + b" ET"
        )
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        bodies.append((page_id, content_id, stream))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(f"{page_id} 0 R".encode() for page_id in page_ids)
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for _page_id, content_id, stream in bodies:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
