from django.db import migrations

# The site's search (insights.selectors.search, through core.search.text_search) matches a
# challenge's title and description by full-text search with the "simple" configuration, and
# the titles of ideas, projects and challenges by trigram word similarity (``title %> q``, so a
# typo still finds them). These GIN indexes are on exactly those expressions, so PostgreSQL
# answers from them instead of reading every row. Ideas' and projects' full-text indexes are
# the dashboard's (0006). pg_trgm is installed by 0002. SQLite searches by substring: nothing.
SEARCH_INDEXES = {
    "portfolio_challenge_search_idx": (
        "portfolio_challenge",
        "to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, ''))",
    ),
    "portfolio_idea_title_trgm_idx": ("portfolio_idea", "title gin_trgm_ops"),
    "portfolio_project_title_trgm_idx": ("portfolio_project", "title gin_trgm_ops"),
    "portfolio_challenge_title_trgm_idx": ("portfolio_challenge", "title gin_trgm_ops"),
}


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in SEARCH_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({expression})")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("portfolio", "0011_discussion_comments"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
