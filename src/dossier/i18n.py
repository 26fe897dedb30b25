"""Interface words in the edition's language: gettext over the project's own `.po` catalogs.

What it is for: `translator(lang)` returns a `Translator` whose `gettext`/`ngettext` give the words a
renderer prints around the documents ("Index of names" / "Именной указатель", "see" / "см.").
The catalogs are `dossier/locale/<lang>/LC_MESSAGES/dossier.po`, read at run time with Babel's
`read_po` and turned into a `GNUTranslations` in memory, so no compile step (`.mo`) is needed and a
translator edits one text file. A language without a catalog, or a message without a translation,
falls back to the English message id.

What it is not: the place for any interface literal (they live in the templates and the catalogs),
nor for the language of the documents themselves, which are printed verbatim.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "dossier"


class Translator:
    """gettext and ngettext for one language (an empty catalog means: print the message ids)."""

    def __init__(self, lang: str, translations: _gettext.NullTranslations) -> None:
        self.lang = lang
        self._t = translations

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalogs where it is written down, to be translated later (gettext_noop)."""
    return message


def interface_language() -> str:
    """The language of the command line's own messages: the user's locale (LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG, the first set, as gettext reads them); 'en' for C/POSIX or none."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0].split(".")[0]
        if value:
            return "en" if value in ("C", "POSIX") else base_language(value)
    return "en"


def interface_translator() -> Translator:
    """The translator for the command line's summaries (counts with their singular or plural)."""
    return translator(interface_language())


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    """Languages that have a catalog, sorted."""
    if not LOCALE_DIR.exists():
        return []
    return sorted(p.name for p in LOCALE_DIR.iterdir() if catalog_path(p.name).exists())


def base_language(lang: str) -> str:
    """'ru-RU' / 'ru_RU' -> 'ru'; '' -> 'en'."""
    return (lang or "en").replace("_", "-").split("-")[0].lower() or "en"


@lru_cache(maxsize=16)
def translator(lang: str) -> Translator:
    """The translator for `lang` (a full tag such as 'ru-RU' uses the 'ru' catalog)."""
    code = base_language(lang)
    path = catalog_path(code)
    if not path.exists():
        return Translator(code, _gettext.NullTranslations())
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code, domain=DOMAIN)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translator(code, _gettext.GNUTranslations(buf))
