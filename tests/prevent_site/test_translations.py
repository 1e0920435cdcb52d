"""Every interface string of the translated pages has its Arabic and Bengali translation, the
committed .po files are what makemessages makes from the code today (scripts/makemessages), and
the committed .mo files say what the .po files say."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from blocks import languages

ROOT = Path(settings.BASE_DIR)
# Not needed to find the strings, and large.
LEFT_OUT = {
    ".git",
    ".venv",
    "node_modules",
    "static",
    "staticfiles",
    "media",
    "private-media",
    "sent-emails",
    "screenshots",
    "docs",
    "tests",
    "db.sqlite3",
}


def other_codes():
    return [code for code, _name in languages.other_languages()]


def entries(po_text):
    """(msgid, [msgstr...], flags) for each entry but the header (the files are --no-wrap)."""
    found = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        ids = [line for line in lines if line.startswith("msgid ")]
        if not ids or ids[0] == 'msgid ""':
            continue
        strs = [
            re.sub(r"^msgstr(\[\d+\])? ", "", line) for line in lines if line.startswith("msgstr")
        ]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        found.append((ids[0], strs, flags))
    return found


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    if shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext is missing: apt-get install gettext (bash .ci/run installs it)")
    copy = tmp_path_factory.mktemp("site")
    for item in ROOT.iterdir():
        if item.name in LEFT_OUT or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(
                item, copy / item.name, ignore=shutil.ignore_patterns("*.mo", "__pycache__")
            )
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        ["scripts/makemessages", sys.executable], cwd=copy, check=True, capture_output=True
    )
    return {
        code: (copy / "locale" / code / "LC_MESSAGES" / "django.po").read_text()
        for code in other_codes()
    }


def test_makemessages_leaves_no_interface_string_untranslated(fresh_catalogues):
    assert set(fresh_catalogues) == {"ar", "bn"}
    for code, text in fresh_catalogues.items():
        untranslated = [
            msgid
            for msgid, msgstrs, flags in entries(text)
            if "fuzzy" in flags or not msgstrs or any(s == '""' for s in msgstrs)
        ]
        assert untranslated == [], f"{code}: translate these in locale/{code}/LC_MESSAGES/django.po"


def test_the_committed_catalogues_are_up_to_date_with_the_code(fresh_catalogues):
    for code, text in fresh_catalogues.items():
        committed = (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").read_text()
        assert entries(text) == entries(committed), f"run `make messages` and commit locale/{code}"


def test_arabic_has_all_six_plural_forms(fresh_catalogues):
    plurals = [msgstrs for msgid, msgstrs, _ in entries(fresh_catalogues["ar"]) if len(msgstrs) > 1]
    assert plurals and all(len(forms) == 6 for forms in plurals)


@pytest.mark.parametrize("code", other_codes())
def test_the_committed_mo_file_says_what_its_po_file_says(code, tmp_path):
    """The .mo files Django reads are committed (running the site needs no gettext): each must
    hold exactly the translations of its .po file, compiled afresh by msgfmt."""
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext is missing: apt-get install gettext (bash .ci/run installs it)")
    folder = ROOT / "locale" / code / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", fresh, folder / "django.po"], check=True)
    with (folder / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), f"run `make messages` and commit locale/{code}/LC_MESSAGES/django.mo"
