"""Deliveries kept what the connection said when it failed, and where a redirect led.

That told editors about the servers' own network (which port answered, which
refused); the admin now shows a status code, "could not connect" or "address not
allowed" only. This rewrites the errors recorded before in the same words.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation

# What the connection said was kept as "ExceptionClass: text".
RAW_ERROR = r"^[A-Z][A-Za-z0-9_]*: "


def generic_errors(apps, schema_editor):
    Delivery = apps.get_model("webhooks", "Delivery")
    deliveries = Delivery.objects.using(schema_editor.connection.alias)
    with translation.override(settings.LANGUAGE_CODE):
        deliveries.filter(last_status_code__isnull=True, last_error__regex=RAW_ERROR).update(
            last_error=translation.gettext("Could not connect.")
        )
        redirected = deliveries.filter(last_status_code__gte=300, last_status_code__lt=400).exclude(last_error="")
        for code in set(redirected.values_list("last_status_code", flat=True)):
            redirected.filter(last_status_code=code).update(
                last_error=translation.gettext("The subscriber answered HTTP %(code)d: redirects are not followed.")
                % {"code": code}
            )


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [migrations.RunPython(generic_errors, migrations.RunPython.noop)]
