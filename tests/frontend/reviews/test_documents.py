"""The documents tab on the web: versions uploaded and downloaded through an audited view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import ReviewDocument
from tenants.agencies.models import AuditEvent
from tests.support.review_pages import PDF, PNG, client, error_summary
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestDocuments:
    def test_versions_are_uploaded_and_downloaded_through_an_audited_view(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        for name in ("draft.pdf", "draft-2.pdf"):
            response = erin.post(
                f"/case-reviews/{ref}/documents/new/",
                {
                    "document-title": "Overview report",
                    "document-kind": "draft_report",
                    "document-file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
                },
            )
            assert response.status_code == 302
        response = erin.post(
            f"/case-reviews/{ref}/documents/new/",
            {
                "document-title": "Photo",
                "document-kind": "paper",
                "document-file": SimpleUploadedFile("photo.pdf", PNG),
            },
        )
        assert "photo.pdf is not a PDF or Word (.docx) document" in error_summary(body(response))
        page = body(erin.get(f"/case-reviews/{ref}/documents/"))
        assert page.count("Overview report<span") == 2 and "/media/" not in page
        with inside(world.croydon):
            latest = ReviewDocument.objects.get(version=2)
        response = erin.get(f"/case-reviews/{ref}/documents/{latest.uuid}/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert 'filename="draft-2.pdf"' in response["Content-Disposition"]
        with inside(world.croydon):
            assert AuditEvent.objects.filter(action="document.downloaded").count() == 1
        for who in ("bob", "frank"):
            assert (
                client(world, who).get(f"/case-reviews/{ref}/documents/{latest.uuid}/").status_code
                == 404
            )
