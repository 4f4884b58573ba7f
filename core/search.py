"""Text search over a query set, the same on every page that searches."""

from django.db import connection
from django.db.models import Q, QuerySet


def text_search(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Full-text search on PostgreSQL ("simple" dictionary: texts are in three languages);
    a case-insensitive substring match on SQLite, the development database."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        matches = (
            queryset.model.objects.annotate(_search=SearchVector(*fields, config="simple"))
            .filter(_search=SearchQuery(q, config="simple", search_type="websearch"))
            .values("pk")
        )
        return queryset.filter(pk__in=matches)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return queryset.filter(condition)
