"""The 7-minute briefing as a one-page PDF, made with WeasyPrint from the publication's public
record and the briefing's text. Nothing is fetched from anywhere: the page has no external
resources."""

import io

from django.template.loader import render_to_string


def briefing_pdf(*, publication, note, sections: dict, themes: list[str]) -> bytes:
    from weasyprint import HTML

    snapshot_sections = [
        (label, getattr(note, name)) for name, label in sections.items() if getattr(note, name)
    ]
    html = render_to_string(
        "publishing/briefing_note.html",
        {
            "publication": publication,
            "partnerships": [p["name"] for p in publication.partnerships],
            "sections": snapshot_sections,
            "themes": themes,
        },
    )
    return HTML(string=html, base_url=None).write_pdf()


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
