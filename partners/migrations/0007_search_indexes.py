from django.db import migrations

# The site's search (insights.selectors.search, through core.search.text_search) matches a
# milestone's title and description and an organisation's name and description by full-text
# search with the "simple" configuration, and the milestone's title and the organisation's
# name by trigram word similarity (``title %> q``, so a typo still finds them). These GIN
# indexes are on exactly those expressions, so PostgreSQL answers from them instead of reading
# every row. pg_trgm is installed by portfolio 0002. SQLite searches by substring: nothing.
SEARCH_INDEXES = {
    "partners_milestone_search_idx": (
        "partners_milestone",
        "to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, ''))",
    ),
    "partners_organisation_search_idx": (
        "partners_partnerorganisation",
        "to_tsvector('simple'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, ''))",
    ),
    "partners_milestone_title_trgm_idx": ("partners_milestone", "title gin_trgm_ops"),
    "partners_organisation_name_trgm_idx": ("partners_partnerorganisation", "name gin_trgm_ops"),
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
        ("partners", "0006_optimistic_lock_version"),
        # pg_trgm, for the trigram indexes.
        ("portfolio", "0002_idea_submission_token_trigram"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
