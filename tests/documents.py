"""Documents for the tests: real PDFs and Word files made here, as partnerships would upload."""

import base64
import io

import docx

from publishing.pdf import placeholder_pdf


def pdf(*pages: str) -> bytes:
    """A PDF with one page per argument, each page's text in lines."""
    return placeholder_pdf([page.splitlines() or [""] for page in pages])


def word(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page that is a picture with no text: what a scanner makes."""
    from PIL import Image
    from weasyprint import HTML

    image = Image.new("RGB", (120, 80), (200, 200, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    return HTML(string=f'<img src="data:image/png;base64,{data}" width="300">').write_pdf()


def typeset_pdf(*pages: str, width: str = "auto") -> bytes:
    """A PDF typeset by WeasyPrint, as most reports are made: one page per argument (HTML), in a
    column ``width`` wide, so that words break over lines where a test needs them to."""
    from weasyprint import HTML

    body = "".join(
        f'<section style="break-after: page; width: {width}">{page}</section>' for page in pages
    )
    style = "@page { size: A5; margin: 15mm } body { font-family: serif; font-size: 11pt }"
    return HTML(
        string=f"<html lang=en><style>{style}</style><body>{body}</body></html>"
    ).write_pdf()


def encrypted_pdf(password: str = "secret") -> bytes:
    """An encrypted PDF that needs ``password`` to open it; with an empty one, a PDF with only an
    owner's password, which any reader opens but which is encrypted all the same."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("A report."))))
    writer.encrypt(user_password=password, owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
