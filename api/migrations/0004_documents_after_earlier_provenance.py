"""The stored documents are built again with the provenance of translations published before it was recorded.

``book`` 0007 fills that provenance in through historical models, which send no
signal: the documents stored before it would keep showing none. They are
deleted here, and built again when first read (or by ``rebuild_documents``);
the responses cached from them are made obsolete with them.
"""

from django.db import migrations


def forget_documents(apps, schema_editor):
    stored = apps.get_model("api", "StoredDocument")
    if not stored.objects.using(schema_editor.connection.alias).exists():
        return
    stored.objects.using(schema_editor.connection.alias).all().delete()
    from api.http import bump_content_version, bump_tokens

    bump_tokens(["all"])
    bump_content_version()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_stored_documents"),
        ("book", "0007_provenance_of_earlier_translations"),
    ]

    operations = [migrations.RunPython(forget_documents, migrations.RunPython.noop)]
