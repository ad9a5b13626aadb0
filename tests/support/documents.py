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


def _write(writer) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _writer(text: str = "A report about Child J."):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf(text))))
    return writer


def annotated_pdf(note: str, kind: str = "sticky note") -> bytes:
    """A PDF whose first page carries a comment a reviewer left: a sticky note (with its
    pop-up) or a free-text box."""
    from pypdf.annotations import FreeText, Popup, Text

    writer = _writer()
    if kind == "sticky note":
        annotation = writer.add_annotation(0, Text(rect=(50, 550, 70, 570), text=note, open=True))
        writer.add_annotation(0, Popup(rect=(80, 450, 280, 550), parent=annotation))
    else:
        writer.add_annotation(0, FreeText(text=note, rect=(50, 400, 300, 450)))
    return _write(writer)


def form_pdf(value: str) -> bytes:
    """A PDF with one filled-in text field (a merged field and widget, as forms make)."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = _writer()
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("name_of_child"),
            NameObject("/V"): TextStringObject(value),
            NameObject("/F"): NumberObject(4),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 300, 300, 320)]),
        }
    )
    reference = writer._add_object(field)
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([reference])
    field[NameObject("/P")] = page.indirect_reference
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )
    return _write(writer)


def pdf_with(
    *,
    bookmark: str = "",
    properties: dict | None = None,
    xmp: str = "",
    attachment: tuple[str, str] | None = None,
) -> bytes:
    """A PDF carrying a bookmark, document information keys, an XMP packet or an embedded
    file (name, description)."""
    from pypdf.generic import DecodedStreamObject, NameObject, TextStringObject

    writer = _writer()
    if bookmark:
        writer.add_outline_item(title=bookmark, page_number=0)
    if properties:
        writer.add_metadata(properties)
    if xmp:
        stream = DecodedStreamObject()
        stream.set_data(
            (
                '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
                '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:creator><rdf:Seq><rdf:li>{xmp}</rdf:li></rdf:Seq></dc:creator>"
                '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
            ).encode()
        )
        stream[NameObject("/Type")] = NameObject("/Metadata")
        stream[NameObject("/Subtype")] = NameObject("/XML")
        writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    if attachment:
        name, description = attachment
        spec = writer.add_attachment(name, b"notes")
        spec.description = TextStringObject(description)
    return _write(writer)


def active_pdf(what: str) -> bytes:
    """A PDF with active content: "javascript" (a document-level script), "open action" (a
    script run on opening), "launch" (a page's additional action that starts a program),
    "annotation script" (a link that runs a script), "attachment", or "xfa" (an XFA form)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = _writer()

    def action(kind: str) -> DictionaryObject:
        if kind == "/Launch":
            return DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Launch"),
                    NameObject("/F"): TextStringObject("calc.exe"),
                }
            )
        return DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello')"),
            }
        )

    if what == "javascript":
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("hi"), action("/JS")])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
    elif what == "open action":
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action("/JS"))
    elif what == "launch":
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): writer._add_object(action("/Launch"))}
        )
    elif what == "annotation script":
        from pypdf.annotations import Link

        link = Link(rect=(50, 50, 200, 80), url="https://example.org")
        link[NameObject("/A")] = action("/JS")
        writer.add_annotation(0, link)
    elif what == "attachment":
        writer.add_attachment("notes.txt", b"notes")
    elif what == "xfa":
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
            }
        )
    else:
        raise ValueError(what)
    return _write(writer)


def scanned_text_pdf(text: str, dpi: int = 200) -> bytes:
    """A scan of a small typeset page (A7) saying ``text``: one picture, no text layer."""
    import pypdfium2 as pdfium
    from weasyprint import HTML

    style = "@page { size: A7; margin: 8mm } body { font-family: serif; font-size: 14pt }"
    typeset = HTML(string=f"<style>{style}</style><p>{text}</p>").write_pdf()
    document = pdfium.PdfDocument(typeset)
    try:
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def outlined_pdf(text: str, size: float = 16) -> bytes:
    """A small page (A7) on which ``text`` is drawn as glyph outlines, filled vector paths and
    no text at all: what design software exports when text is "converted to outlines"."""
    from fontTools.pens.basePen import BasePen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    class PdfPathPen(BasePen):
        def __init__(self, glyphs):
            super().__init__(glyphs)
            self.ops = []

        def _moveTo(self, point):
            self.ops.append(f"{point[0]:.2f} {point[1]:.2f} m")

        def _lineTo(self, point):
            self.ops.append(f"{point[0]:.2f} {point[1]:.2f} l")

        def _curveToOne(self, p1, p2, p3):
            self.ops.append(" ".join(f"{x:.2f} {y:.2f}" for x, y in (p1, p2, p3)) + " c")

        def _closePath(self):
            self.ops.append("h")

    font = TTFont(FONT)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    width, height = 210, 298  # A7 in points
    pen = PdfPathPen(glyphs)
    x, y = 15.0, height - 40.0
    for word in text.split():
        advance = sum(glyphs[cmap[ord(c)]].width for c in word + " ") * scale
        if x + advance > width - 15:
            x, y = 15.0, y - size * 1.4
        for char in word + " ":
            glyph = glyphs[cmap[ord(char)]]
            glyph.draw(TransformPen(pen, (scale, 0, 0, scale, x, y)))
            x += glyph.width * scale
    writer = PdfWriter()
    page = writer.add_blank_page(width=width, height=height)
    stream = DecodedStreamObject()
    stream.set_data(("0 g\n" + "\n".join(pen.ops) + "\nf\n").encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _write(writer)


def _rezip(content: bytes, change) -> bytes:
    """``content`` (a zip) with ``change(name, data) -> data`` applied to each part, and
    ``change(None, None)`` -> {name: data} added."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, data in (change(None, None) or {}).items():
            out.writestr(name, data)
    return buffer.getvalue()


A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def picture_xml(alt_text: str, title: str = "") -> str:
    """A paragraph holding an inline picture with alt text (Word's "Describe this picture")."""
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
        f'<wp:docPr id="1" name="Picture 1" descr="{alt_text}" title="{title}"/>'
        f"<a:graphic {A_NS}/></wp:inline></w:drawing></w:r></w:p>"
    )


def text_box_xml(text: str) -> str:
    """A shape with a text box (the modern choice and the VML fallback Word writes beside it,
    with the same words) and a DrawingML text run, inside a paragraph."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="2" name="Text Box 2"/>'
        f"<a:graphic {A_NS}><a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Beside the box.</w:t></w:r></w:p>"
    )


def shape_text_xml(text: str) -> str:
    """DrawingML text in a shape (``a:t``), as SmartArt and WordArt hold it."""
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="3" name="Shape 3"/><a:graphic {A_NS}>'
        f"<a:graphicData><a:p><a:r><a:t>{text}</a:t></a:r></a:p></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r></w:p>"
    )


def word_with_xml(body: str = "", header: str = "") -> bytes:
    """A Word document with raw WordprocessingML added to its body and to its header."""
    document = docx.Document()
    document.add_paragraph("The review found nothing identifying.")
    document.sections[0].header.paragraphs[0].text = "Header"
    buffer = io.BytesIO()
    document.save(buffer)

    def change(name, data):
        if name == "word/document.xml" and body:
            return data.replace(b"<w:sectPr", body.encode() + b"<w:sectPr", 1)
        if name and name.startswith("word/header") and header:
            text = data.decode()
            text = text.replace("</w:hdr>", header + "</w:hdr>")
            for prefix, uri in (
                ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
                ("mc", "http://schemas.openxmlformats.org/markup-compatibility/2006"),
                ("wps", "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"),
                ("v", "urn:schemas-microsoft-com:vml"),
            ):
                if f"xmlns:{prefix}=" not in text:
                    text = text.replace("<w:hdr ", f'<w:hdr xmlns:{prefix}="{uri}" ', 1)
            return text.encode()
        return data

    return _rezip(buffer.getvalue(), change)


def word_bomb(megabytes: int = 150) -> bytes:
    """A small Word file whose body unpacks to ``megabytes`` MB (a zip bomb: zeros compress
    about a thousand times)."""
    filler = b" " * (1024 * 1024)

    def change(name, data):
        if name == "word/document.xml":
            return data.replace(b"<w:body>", b"<w:body>" + filler * megabytes, 1)
        return data

    return _rezip(word("A short report."), change)


def word_with_macros() -> bytes:
    """A macro-enabled Word document (.docm) named and typed as a .docx."""

    def change(name, data):
        if name is None:
            return {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"}
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Default Extension="bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return data

    return _rezip(word("A report with macros."), change)
