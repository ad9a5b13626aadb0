"""``GET /api/v1/library/`` on the bare platform domain, for anyone (no key): the national library
with the filters of DESIGN §4 (``q``, ``theme``, ``year``, ``type``, ``partnership``) and
``age_band``, paginated with ``page``. Parse, call the library's selectors, render."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.openapi import INVALID
from casework.processes import REVIEW_TYPES
from publishing.library.models import AgeBand
from publishing.library.search import (
    PAGE_SIZE,
    QUERY_MAX_LENGTH,
    library_query_parse,
    library_search,
)
from publishing.library.selectors import partnerships_by_key, theme_labels
from tenants.addresses import partnership_url, platform_url


def _month(value):
    return value.strftime("%Y-%m") if value else None


class LibraryRecordSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    title = serializers.CharField()
    pseudonyms = serializers.ListField(child=serializers.CharField())
    type = serializers.SerializerMethodField()
    partnerships = serializers.SerializerMethodField()
    lead_partnership = serializers.CharField(source="lead_partnership_key")
    published = serializers.DateField(source="published_on", allow_null=True)
    published_precision = serializers.CharField(help_text="day, year or unknown")
    year = serializers.IntegerField(allow_null=True)
    commissioned = serializers.SerializerMethodField(help_text="Year-month")
    incident = serializers.SerializerMethodField(help_text="Year-month")
    summary = serializers.CharField()
    themes = serializers.SerializerMethodField()
    age_bands = serializers.ListField(child=serializers.ChoiceField(choices=AgeBand.choices))
    availability = serializers.CharField(help_text="online, on_request or not_published")
    summary_only = serializers.BooleanField(help_text="Before 2013: an executive summary only")
    improvements = serializers.CharField()
    chair_statements = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The library's page")

    def _partnership_url(self, key, path):
        partnership = self.context["partnerships"].get(key)
        return partnership_url(partnership=partnership, path=path) if partnership else None

    def get_type(self, record) -> dict:
        return {"key": record.review_type, "label": record.review_type_label}

    def get_partnerships(self, record) -> list[dict]:
        return [
            {
                "key": item["key"],
                "name": item["name"],
                "url": self._partnership_url(item["key"], f"/reviews/{record.uuid}/"),
            }
            for item in record.partnerships
        ]

    def get_commissioned(self, record) -> str | None:
        return _month(record.commissioned_month)

    def get_incident(self, record) -> str | None:
        return _month(record.incident_month)

    def get_themes(self, record) -> list[dict]:
        labels = self.context["labels"]
        return [{"slug": slug, "label": labels.get(slug, slug)} for slug in record.themes]

    def get_chair_statements(self, record) -> list[dict]:
        return [
            {
                "partnership": s.get("partnership_key"),
                "name": s.get("name"),
                "role": s.get("role"),
                "text": s.get("text"),
            }
            for s in record.chair_statements
        ]

    def get_documents(self, record) -> list[dict]:
        online = record.availability == "online"
        return [
            {
                "id": document["uuid"],
                "kind": document["kind"],
                "label": document["label"],
                "size": document["size"],
                "content_type": document["content_type"],
                "url": self._partnership_url(
                    record.lead_partnership_key,
                    f"/reviews/{record.uuid}/documents/{document['uuid']}/",
                )
                if online
                else None,
            }
            for document in record.documents
        ]

    def get_url(self, record) -> str:
        return platform_url(f"/library/{record.uuid}/")


FACET = inline_serializer(
    "LibraryFacetValue",
    fields={
        "value": serializers.CharField(),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
        "selected": serializers.BooleanField(),
    },
    many=True,
)


class LibraryListApi(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema_serializer(component_name="LibraryList")
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = LibraryRecordSerializer(many=True)
        facets = inline_serializer(
            "LibraryFacets",
            fields={
                "theme": FACET,
                "year": FACET,
                "type": FACET,
                "partnership": FACET,
                "age_band": FACET,
            },
        )

    @extend_schema(
        operation_id="library_list",
        summary="Search the national case review library",
        description=(
            "Every partnership's published reviews: the anonymised public record only. "
            "Ranked by relevance with `q` (PostgreSQL full-text search in English: words, "
            '"phrases", -exclusions, OR), newest first without. `facets` counts each filter\'s '
            "values under the other filters. Unknown parameters or values are a 400."
        ),
        auth=[],
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": QUERY_MAX_LENGTH},
                description=f"Words to search for (up to {QUERY_MAX_LENGTH} characters)",
            ),
            OpenApiParameter(
                "theme",
                {"type": "string", "maxLength": 60},
                description="A theme's slug, e.g. neglect",
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 1900, "maximum": 2100},
                description="Year published",
            ),
            OpenApiParameter(
                "type",
                str,
                enum=sorted(REVIEW_TYPES),
                description="Review type, e.g. serious_case_review",
            ),
            OpenApiParameter(
                "partnership",
                {"type": "string", "maxLength": 40},
                description="A partnership's key, e.g. croydon",
            ),
            OpenApiParameter("age_band", str, enum=AgeBand.values, description="Child's age"),
            OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": 10_000}),
        ],
        responses={200: OutputSerializer, **INVALID},
    )
    def get(self, request):
        query = library_query_parse(request.query_params)
        result = library_search(query=query, page_size=PAGE_SIZE)
        keys = {key for record in result.records for key in record.partnership_keys}
        context = {"partnerships": partnerships_by_key(keys=keys), "labels": theme_labels()}
        base = request.build_absolute_uri(reverse("library-api"))

        def page_url(page):
            params = {**query.params(), "page": page}
            return f"{base}?{urlencode(params)}"

        data = {
            "count": result.total,
            "next": page_url(result.query.page + 1) if result.query.page < result.pages else None,
            "previous": page_url(result.query.page - 1) if result.query.page > 1 else None,
            "results": LibraryRecordSerializer(result.records, many=True, context=context).data,
            "facets": {
                name: [
                    {
                        "value": value.value,
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in values
                ]
                for name, values in result.facets.items()
            },
        }
        return Response(data)
