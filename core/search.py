"""Text search over a query set, the same on every page that searches, and its highlights.

PostgreSQL: full-text search with the "simple" configuration (texts are in three languages, so
no language's stemming), optionally widened by trigram similarity of a title (``pg_trgm``) so a
typo still finds it; the matched words are marked by ``ts_headline``. SQLite, the development
database: a case-insensitive substring match, marked in Python. Either way the marks reach the
page only through ``marked_html``, which escapes everything else.
"""

import re

from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters, never typed in the texts: ``ts_headline`` puts them around each match
# and ``marked_html`` turns them into <mark> after escaping the text around them.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
_MARKERS = re.compile(f"([{MARK_START}{MARK_STOP}])")

# The longest piece of a long text shown under a result (SQLite; PostgreSQL counts words).
SNIPPET_CHARS = 240


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _query(q: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(q, config="simple", search_type="websearch")


def text_search(
    queryset: QuerySet, q: str, fields: tuple[str, ...], *, similar_field: str | None = None
) -> QuerySet:
    """Rows of ``queryset`` whose ``fields`` contain the words of ``q``.

    Full-text search on PostgreSQL ("simple" dictionary: texts are in three languages); a
    case-insensitive substring match on SQLite. With ``similar_field`` (a short title or name),
    PostgreSQL also finds rows whose title has a word like one typed (trigram word similarity,
    ``pg_trgm``'s ``%>`` at its default threshold 0.6), so "remindr" finds "Reminder texts".

    The match is a subquery on the model's own table, so the GIN indexes on exactly these
    expressions serve it (portfolio 0006 and 0011, partners 0007) and the caller's query set
    stays free of joins that would repeat rows.
    """
    if _is_postgresql():
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import SearchVector

        condition = Q(_search=_query(q))
        if similar_field:
            # The lookup itself: django.contrib.postgres is not an installed app (SQLite in
            # development), so "__trigram_word_similar" is not registered on the fields.
            condition |= Q(TrigramWordSimilar(F(similar_field), Value(q)))
        matches = (
            queryset.model.objects.annotate(_search=SearchVector(*fields, config="simple"))
            .filter(condition)
            .values("pk")
        )
        return queryset.filter(pk__in=matches)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return queryset.filter(condition)


def with_search_rank(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Annotate ``search_rank``: how well the row's words match (PostgreSQL's ``ts_rank``; 0
    for a row found only by a similar title, and everywhere on SQLite). Computed for the
    matched rows only, so a page of results sorts by it cheaply."""
    if _is_postgresql():
        from django.contrib.postgres.search import SearchRank, SearchVector

        rank = SearchRank(SearchVector(*fields, config="simple"), _query(q))
        return queryset.annotate(search_rank=rank)
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


def with_headlines(queryset: QuerySet, q: str, *, title: str, body: str) -> QuerySet:
    """Annotate ``title_marked`` and ``body_marked``: the title with every match marked, and the
    parts of the long text around the matches (PostgreSQL's ``ts_headline``; on SQLite the
    plain texts, marked by ``highlight`` after the rows are read). Render with ``marked_html``."""
    if _is_postgresql():
        from django.contrib.postgres.search import SearchHeadline

        query = _query(q)
        return queryset.annotate(
            title_marked=SearchHeadline(
                title,
                query,
                config="simple",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                highlight_all=True,
            ),
            body_marked=SearchHeadline(
                body,
                query,
                config="simple",
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
    return queryset.annotate(title_marked=F(title), body_marked=F(body))


def highlight(text: str, q: str, *, snippet: bool = False) -> str:
    """``text`` with the words of ``q`` between the markers (the SQLite twin of
    ``ts_headline``); with ``snippet``, cut to about ``SNIPPET_CHARS`` around the first match."""
    text = _MARKERS.sub("", text or "")
    words = sorted({word for word in q.split() if len(word) > 1}, key=len, reverse=True)
    pattern = None
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    if snippet and len(text) > SNIPPET_CHARS:
        found = pattern.search(text) if pattern else None
        start = max(0, (found.start() if found else 0) - SNIPPET_CHARS // 3)
        end = start + SNIPPET_CHARS
        text = ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
    if pattern is None:
        return text
    return pattern.sub(lambda found: f"{MARK_START}{found.group(0)}{MARK_STOP}", text)


def headline_html(text: str, q: str, *, snippet: bool = False) -> SafeString:
    """The HTML of a ``with_headlines`` annotation: PostgreSQL marked it already, SQLite's
    plain text is marked (and cut, with ``snippet``) here."""
    if not _is_postgresql():
        text = highlight(text, q, snippet=snippet)
    return marked_html(text)


def marked_html(text: str) -> SafeString:
    """HTML of a text carrying the markers: everything escaped, each marked run in <mark>.

    The only tags that can come out are balanced <mark> and </mark>; a stray marker (one in
    the stored text itself) opens or closes nothing twice, so no text can inject HTML."""
    parts, is_open = [], False
    for part in _MARKERS.split(text or ""):
        if part == MARK_START:
            if not is_open:
                parts.append("<mark>")
                is_open = True
        elif part == MARK_STOP:
            if is_open:
                parts.append("</mark>")
                is_open = False
        else:
            parts.append(escape(part))
    if is_open:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or a <mark> tag
