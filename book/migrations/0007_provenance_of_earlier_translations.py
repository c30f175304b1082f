"""Translations published before their provenance was recorded get it, from what wagtail-localize and Wagtail kept."""

from django.conf import settings
from django.db import migrations


def record_earlier_translations(apps, schema_editor):
    from book.provenance import EarlierTranslations

    EarlierTranslations(apps).record_all()


class Migration(migrations.Migration):
    dependencies = [
        ("book", "0006_provenance"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(record_earlier_translations, migrations.RunPython.noop, elidable=True)]
