from django.db import migrations


def load(apps, schema_editor):
    from fupin.programs.catalogue import CATALOGUE

    OutputKind = apps.get_model("programs", "OutputKind")
    for order, (code, name, name_en, unit, category) in enumerate(CATALOGUE, start=1):
        OutputKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "unit": unit, "category": category, "order": order}
        )


def unload(apps, schema_editor):
    from fupin.programs.catalogue import CATALOGUE

    apps.get_model("programs", "OutputKind").objects.filter(code__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
