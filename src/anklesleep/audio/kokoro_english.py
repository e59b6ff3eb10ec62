"""English for Kokoro: eSpeak NG's phonemes, written in the symbols Kokoro's model was trained on.

Kokoro's own English reader (misaki) looks words up in a dictionary and falls back to eSpeak NG;
here eSpeak NG reads every word (through `phonemizer`, from the library `espeakng-loader` ships,
so no system package is needed), and `kokoro_symbols` rewrites its IPA the way misaki's eSpeak
fallback does (misaki, Apache-2.0): diphthongs and affricates become Kokoro's single letters
("aɪ" -> "I", "dʒ" -> "ʤ"), r-coloured vowels and a few rare sounds become the ones Kokoro knows.

`kokoro_symbols` is pure; `Reader` holds the eSpeak NG backend (made once, used under the
caller's lock: the library keeps global state).
"""

from __future__ import annotations

import re
from typing import Any

#: eSpeak NG's IPA (with "^" tying the two halves of a diphthong or affricate) -> Kokoro's
#: symbols, longest first; from misaki's `EspeakFallback`
_COMMON = sorted(
    {
        "ʔˌn\u0329": "ʔn",
        "ʔn\u0329": "ʔn",
        "a^ɪ": "I",
        "a^ʊ": "W",
        "d^ʒ": "ʤ",
        "e^ɪ": "A",
        "e": "A",
        "t^ʃ": "ʧ",
        "ɔ^ɪ": "Y",
        "ə^l": "ᵊl",
        "ʲo": "jo",
        "ʲə": "jə",
        "ʲ": "",
        "ɚ": "əɹ",
        "r": "ɹ",
        "x": "k",
        "ç": "k",
        "ɐ": "ə",
        "ɬ": "l",
        "\u0303": "",
    }.items(),
    key=lambda pair: -len(pair[0]),
)
_AMERICAN = (("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪə", "iə"), ("ː", ""))
_BRITISH = (("e^ə", "ɛː"), ("iə", "ɪə"), ("ə^ʊ", "Q"))


def kokoro_symbols(ipa: str, *, british: bool = False) -> str:
    """eSpeak NG's IPA for English (stress marks kept, "^" ties) in Kokoro's symbols."""
    text = ipa.strip()
    for old, new in _COMMON:
        text = text.replace(old, new)
    text = re.sub(r"(\S)\u0329", r"ᵊ\1", text).replace("\u0329", "")
    for old, new in _BRITISH if british else _AMERICAN:
        text = text.replace(old, new)
    text = text.replace("o", "ɔ")  # eSpeak NG before 1.52 writes a bare "o" for "ɔ"
    text = text.replace("ɾ", "T").replace("ʔ", "t")  # Kokoro 1.0's flap and glottal stop
    return text.replace("^", "")


class Reader:
    """Reads English text aloud as Kokoro's phonemes (`language`: "en" for American English,
    "en-gb" for British)."""

    def __init__(self, language: str = "en") -> None:
        import espeakng_loader
        from phonemizer.backend import EspeakBackend
        from phonemizer.backend.espeak.wrapper import EspeakWrapper

        EspeakWrapper.set_library(espeakng_loader.get_library_path())
        EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
        self.british = language == "en-gb"
        self._backend: Any = EspeakBackend(
            language="en-gb" if self.british else "en-us",
            preserve_punctuation=True,
            with_stress=True,
            tie="^",
            words_mismatch="ignore",
        )

    def __call__(self, text: str) -> str:
        found = self._backend.phonemize([text])
        if not found:
            return ""
        return kokoro_symbols(str(found[0]), british=self.british)
