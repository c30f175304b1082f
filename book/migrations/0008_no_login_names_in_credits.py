"""Login names recorded as translators or reviewers give way to the person's name, or are removed.

A person whose account had no name was credited by their login name, which the
API, the reader and the editions published. The records keep the name the
account has now, or nothing (``book.provenance.forget_login_names``). The
records are changed through historical models, which send no signal of their
own: ``provenance_rewritten`` tells the API, which drops the documents it stored
from them.
"""

from django.conf import settings
from django.db import migrations


def forget_login_names(apps, schema_editor):
    from book.provenance import credit_by_names

    credit_by_names(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("book", "0007_provenance_of_earlier_translations"),
        ("api", "0004_documents_after_earlier_provenance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forget_login_names, migrations.RunPython.noop, elidable=True)]
