"""Language identification at import: the extractors read English only, so other languages are refused.

Uses py3langid (a maintained fork of langid.py; its model ships inside the package, nothing is downloaded).
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import InputError
from ..pipeline.settings import LANGUAGE, LANGUAGE_MIN_CONFIDENCE

__all__ = ["LanguageError", "detect", "require_english", "normalise_declared"]

_ENGLISH_NAMES = {"en", "eng", "english", "en-us", "en-gb", "en-au", "en-ca", "en-in", "en-nz", "en-ie", "en-za"}


class LanguageError(InputError):
    """An article in a language other than English (an import may skip these instead of failing)."""


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of `text` and its normalised probability."""
    lang, prob = _identifier().classify(text)
    return str(lang), float(prob)


def normalise_declared(value: str) -> str:
    """A declared language ("English", "en-US", "ja") as a lower-case code or name; "" when none."""
    value = (value or "").strip().lower().replace("_", "-")
    if value in _ENGLISH_NAMES or value.startswith("en-"):
        return LANGUAGE
    return value


def require_english(text: str, where: str, declared: str = "") -> str:
    """Return "en", or raise InputError when the declared or the detected language is another one."""
    declared_code = normalise_declared(declared)
    if declared_code and declared_code != LANGUAGE:
        raise LanguageError(
            f"{where}: declared language {declared!r} is not English; the extractors read English only, "
            "so the article is refused (remove it from the import, or pass --skip-other-languages)."
        )
    lang, prob = detect(text)
    if lang != LANGUAGE and prob >= LANGUAGE_MIN_CONFIDENCE:
        raise LanguageError(
            f"{where}: the text reads as language {lang!r} (probability {prob:.2f}), not English; the extractors "
            "read English only, so the article is refused (remove it, or pass --skip-other-languages to an import)."
        )
    return LANGUAGE
