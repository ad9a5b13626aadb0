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


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("A report."))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
