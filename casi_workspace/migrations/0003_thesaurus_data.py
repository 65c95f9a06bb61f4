from django.db import migrations

from casi_workspace.organisations.thesaurus import SDGS, SECTORS, ZONES


def load(apps, schema_editor):
    Sector = apps.get_model("casi_workspace", "Sector")
    Zone = apps.get_model("casi_workspace", "Zone")
    Goal = apps.get_model("casi_workspace", "SustainableDevelopmentGoal")
    for order, (slug, name) in enumerate(SECTORS):
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for order, (code, name) in enumerate(ZONES):
        Zone.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for number, name in enumerate(SDGS, start=1):
        Goal.objects.get_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("casi_workspace", "0002_organisation_directory")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
