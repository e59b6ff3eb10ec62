"""Joining translated pieces the way each language writes them.

English separates sentences with a space and list items with ", "; Japanese writes sentences
back to back and lists with 「、」. The separators are messages of their own, so a language's
catalog decides them and a new language needs nothing but its catalog.
"""

from __future__ import annotations

from collections.abc import Iterable

from anklesleep.basics.i18n import Translate


def join_sentences(sentences: Iterable[str], t: Translate) -> str:
    """Whole sentences (already translated) as one paragraph, in the language of `t`."""
    joined = ""
    for sentence in sentences:
        if not sentence:
            continue
        if not joined:
            joined = sentence
            continue
        # Translators: two sentences one after the other; Japanese leaves out the space.
        joined = t("{sentences} {sentence}").format(sentences=joined, sentence=sentence)
    return joined


def join_list(items: Iterable[str], t: Translate) -> str:
    """Items (already translated) as one list, in the language of `t` ("a, b, c" in English)."""
    joined = ""
    for item in items:
        if not joined:
            joined = item
            continue
        # Translators: one more item at the end of a list; Japanese uses 「、」.
        joined = t("{items}, {item}").format(items=joined, item=item)
    return joined
