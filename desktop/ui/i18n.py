"""Translations: English (the source strings) and Simplified Chinese, via Qt translation files.

``install_translator(app, config.language)`` must run after the QApplication exists and before widgets
are built. ``"system"`` follows the OS locale (any Chinese locale → ``zh_CN``, anything else →
English); ``"en"`` and ``"zh_CN"`` force a language. It loads ``resources/i18n/liqguard_<lang>.qm``
(compiled with ``pyside6-lrelease`` from the committed ``.ts``) and Qt's own ``qtbase_<lang>.qm`` for
standard buttons, replacing whatever an earlier call installed. A missing file is logged; the UI then
stays in English.

Strings are marked with ``self.tr("...")`` in QObject subclasses or ``QCoreApplication.translate(
"Context", "...")`` elsewhere; ``uv run python installer/update_translations.py`` re-extracts them into
the ``.ts`` (keeping existing translations) and recompiles the ``.qm``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.resources import resources_path

log = logging.getLogger(__name__)

LANGUAGE_CHOICES: tuple[str, ...] = ("system", "en", "zh_CN")
TRANSLATED: tuple[str, ...] = ("zh_CN",)
"""Languages with a shipped ``.qm``; English needs none."""

_installed: list[QTranslator] = []
_language = "en"


def current_language() -> str:
    """The language :func:`install_translator` last put in use (``"en"`` before any call)."""
    return _language


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """The language to use, ``"en"`` or ``"zh_CN"``, for a setting (``"system"`` reads ``locale``,
    default the OS locale). ValueError for an unknown setting."""
    if setting not in LANGUAGE_CHOICES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGE_CHOICES)}, got {setting!r}")
    if setting != "system":
        return setting
    locale = locale if locale is not None else QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def translation_file(language: str) -> str:
    """Path of LiqGuard's compiled translation for ``language``."""
    return str(resources_path("i18n", f"liqguard_{language}.qm"))


def install_translator(app: QCoreApplication, setting: str = "system", locale: QLocale | None = None) -> str:
    """Install the translators for ``setting``; returns the language now in use (``"en"`` when the
    wanted translation could not be loaded)."""
    global _language
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language = "en"
    language = resolve_language(setting, locale)
    if language not in TRANSLATED:
        return "en"
    ours = QTranslator(app)
    if not ours.load(translation_file(language)):
        log.warning(
            "translation %s not loadable from %s; using English", language, translation_file(language)
        )
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    _language = language
    return language


DATA_LABELS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("DataLabels", "Demo market"),
    QT_TRANSLATE_NOOP("DataLabels", "demo"),  # the demo venue's id, first word of a cascade leg's name
    QT_TRANSLATE_NOOP("StopRule", "liquidation_buffer"),
    QT_TRANSLATE_NOOP("StopRule", "risk_budget"),
    QT_TRANSLATE_NOOP("StopRule", "noise_floor"),
)
"""Fixed names that arrive as data (the demo market feed's label, the stop rules), marked so that
``update_translations.py`` extracts them; :func:`tr_label` and the detail panel translate them."""


def tr_label(label: str) -> str:
    """A feed or account label in the UI language when it is one of ours (e.g. "Demo market");
    a user's own account name comes back unchanged."""
    return QCoreApplication.translate("DataLabels", label)
