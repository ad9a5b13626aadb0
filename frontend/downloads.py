"""How a private file (a referral's attachment, a review document, an action's evidence, a
publication's document) leaves the platform: as a download that no cache keeps and no browser
sniffs. Who may have it is the selector's, which also records the download."""

from django.http import FileResponse


def private_file(file, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
