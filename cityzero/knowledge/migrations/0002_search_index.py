"""The full-text index over knowledge_searchdocument: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations


def _run(schema_editor, statements: str) -> None:
    from cityzero.knowledge.search import backend

    for sql in getattr(backend(schema_editor.connection.vendor), statements):
        schema_editor.execute(sql)


def create(apps, schema_editor) -> None:
    _run(schema_editor, "create")


def drop(apps, schema_editor) -> None:
    _run(schema_editor, "drop")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
