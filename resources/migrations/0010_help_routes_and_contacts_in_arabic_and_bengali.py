"""The Arabic and Bengali text of content/2023-07-vol2.yaml for the help routes and contacts a
site already has: filled in only where the translation is empty and the English is still the
starting content's, so nothing the team wrote is changed or mistranslated. (A new site gets the
same text from load_initial_content.)"""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations

CONTENT = Path(settings.BASE_DIR) / "content" / "2023-07-vol2.yaml"
MODELS = {"help_routes": "HelpRoute", "contacts": "Contact"}


def fill(apps, schema_editor):
    if not CONTENT.exists():
        return
    data = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    for key, model_name in MODELS.items():
        model = apps.get_model("resources", model_name)
        for item in data.get(key, []):
            row = model.objects.filter(slug=item["slug"]).first()
            if row is None:
                continue
            changed = False
            for name, value in item.items():
                base, _, language = name.rpartition("_")
                if language not in ("ar", "bn") or not base:
                    continue
                if getattr(row, name) or getattr(row, f"{base}_en_gb") != item.get(base):
                    continue
                setattr(row, name, value)
                changed = True
            if changed:
                row.save()


class Migration(migrations.Migration):
    dependencies = [("resources", "0009_translated_help_routes_and_contacts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
