"""Workflow and task names are stored in English and translated when shown (cms.labels).

Earlier versions stored the names of the book's review workflows and their
tasks in French; this renames them to their English names. The French names
are the ones the project wrote, frozen here.
"""

import re

from django.db import migrations

FRENCH_TO_ENGLISH = {
    "Relecture éditoriale": "Editorial review",
    "Validation par les relecteurs": "Approval by the reviewers",
    "Relecture de la traduction": "Translation review",
    "Validation par les relecteurs de la langue": "Approval by the reviewers of the language",
    "Relecture des traductions (villes et secteurs)": "Translation review (cities and sectors)",
}
LANGUAGE_SUFFIX = re.compile(r"^(?P<base>.+) \((?P<code>[a-z]{2,3}(?:-[a-z0-9]+)*)\)$")


def english(name):
    if name in FRENCH_TO_ENGLISH:
        return FRENCH_TO_ENGLISH[name]
    match = LANGUAGE_SUFFIX.match(name)
    if match and match["base"] in FRENCH_TO_ENGLISH:
        return f"{FRENCH_TO_ENGLISH[match['base']]} ({match['code']})"
    return None


def rename_to_english(apps, schema_editor):
    for model_name in ("Workflow", "Task"):
        model = apps.get_model("wagtailcore", model_name)
        for pk, name in model.objects.values_list("pk", "name"):
            new_name = english(name)
            if new_name is not None:
                model.objects.filter(pk=pk).update(name=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename_to_english, migrations.RunPython.noop)]
