"""No user-facing text states as fact that the routine improves sleep or relieves a complaint.

Scanned: every message in the catalog (Python, templates, routine and script files) in English
and its Japanese translation, the help of every command and option, and the README. A sentence
with a causal phrasing about the routine passes only when it is framed as a claim, a question
or a possibility (the hedges below), or negated before the claim in the same clause ("does not
improve sleep"); a negation elsewhere ("... relieves knee pain and is not a medicine") does not
excuse it. The lists of phrasings are short and reviewed (issue 22), so new ones are added here
deliberately.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po

from anklesleep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "src/anklesleep/locale/anklesleep.pot"
JA_PO = ROOT / "src/anklesleep/locale/ja/LC_MESSAGES/anklesleep.po"

#: what a claim would be about: sleep, and the seven complaints of the symptom scores
_OBJECTS = (
    r"(sleep|nights?|insomnia|pain|aches?|complaints?|stiffness|stiff shoulders|shoulders?|"
    r"headaches?|knees?|(lower )?back|fatigue|tiredness|circulation|bunions?|symptoms?)"
)
CAUSAL = re.compile(
    r"\b("
    r"for (a )?(better|deeper|sounder|more restful) sleep"
    r"|(better|deeper|sounder|more restful) sleep (tonight|every night|guaranteed)"
    r"|(improves?|improving|deepens?|deepening|relieves?|relieving|eases?|easing|reduces?|"
    r"reducing|cures?|curing|heals?|healing|fixes|treats?|treating|prevents?|alleviates?|"
    r"soothes?) (\w+ ){0,2}?" + _OBJECTS + r"|sleep (better|deeper|more deeply|soundly)"
    r"|helps? you (to )?(sleep|fall asleep|rest|relax)"
    r"|(will|is proven to|is shown to|clinically proven to) (help|improve|deepen|relieve|ease)"
    r"|(the routine|the massage|this routine) works"
    r")\b",
    re.IGNORECASE,
)
#: framing that makes a sentence a report of someone's claim, a question or a possibility
HEDGES = re.compile(
    r"\b(whether|if (it|the routine|the massage)|claims?|says|said|according|"
    r"in (his|her|their) view|may|might|could|expecting|find out|see for yourself|"
    r"association|untested|believes?|thinks?)\b",
    re.IGNORECASE,
)
#: a negation counts only before the claim, in the same clause
NEGATION = re.compile(r"\b(not|no|never|cannot|can't|doesn't|don't|isn't|won't)\b", re.I)

#: the same claims in Japanese (the catalog's translations)
JA_CAUSAL = re.compile(
    r"(睡眠|眠り|寝つき|不眠)(の質)?(を|が)(改善|深く|よくな|良くな|治|解消)"
    r"|よく眠れるようにな|ぐっすり眠れ(ます|る|るよう)|快眠|安眠(でき|効果)"
    r"|(痛み|腰痛|ひざ|膝|肩こり|頭痛|疲れ|だるさ|冷え|むくみ|外反母趾|症状|不調)"
    r"(の痛み)?(を|が)(和らげ|和らぎ|軽くな|軽減|解消|改善|治|消え|楽にな|取れ|なくな)"
    r"|効果があります|効きます|効果が(証明|実証)"
)
JA_HEDGES = re.compile(
    r"かどうか|かもしれ|可能性|主張|考え|と言われ|期待|関連|確かめ|検証されて|ではありません|"
    r"とは限りません|見解|によれば|によると|ません[。]?$"
)


def sentences(text: str) -> Iterator[str]:
    for sentence in re.split(r"(?<=[.!?。！？])\s*|\n\s*\n", " ".join(text.split())):
        if sentence.strip():
            yield sentence.strip()


def _negated(sentence: str, start: int) -> bool:
    clause = re.split(r"[,;:]", sentence[:start])[-1]
    return bool(NEGATION.search(clause))


def overstatements(text: str) -> list[str]:
    found = []
    for s in sentences(text):
        match = CAUSAL.search(s)
        if match and not HEDGES.search(s) and not _negated(s, match.start()):
            found.append(s)
    return found


def ja_overstatements(text: str) -> list[str]:
    return [s for s in sentences(text) if JA_CAUSAL.search(s) and not JA_HEDGES.search(s)]


def _messages(path: Path, translations: bool) -> Iterator[str]:
    with path.open("rb") as f:
        for message in read_po(f):
            if not message.id:
                continue
            texts = message.string if translations else message.id
            yield from (i for i in (texts if isinstance(texts, tuple) else (texts,)) if i)


def catalog_messages() -> Iterator[str]:
    return _messages(POT, translations=False)


def japanese_messages() -> Iterator[str]:
    return _messages(JA_PO, translations=True)


def help_texts(command: click.Command = cli) -> Iterator[str]:
    yield command.help or ""
    yield command.epilog or ""
    for param in command.params:
        yield getattr(param, "help", None) or ""
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from help_texts(sub)


@pytest.mark.parametrize(
    "claim",
    [
        "Guided self-massage for better sleep.",
        "This routine relieves knee pain. Try it tonight.",
        "Five minutes a night helps you fall asleep.",
        "If you do it every night, the routine improves your sleep.",
        "The routine relieves knee pain and is not a medicine.",
        "No pills needed: the massage eases lower back pain.",
        "It reduces stiff shoulders and headaches.",
        "The routine works.",
        "Sleep better with anklesleep.",
    ],
)
def test_the_scanner_catches_a_causal_claim(claim: str) -> None:
    assert overstatements(claim)


@pytest.mark.parametrize(
    "hedged",
    [
        "Find out whether the routine helps you sleep.",
        "In his view, the routine deepens sleep; this is untested.",
        "It is not a treatment.",
        "anklesleep does not improve sleep by itself.",
        "Expecting to sleep better can help by itself.",
        "Ease the tension of the day around the ankle bone.",  # an instruction, not a claim
    ],
)
def test_the_scanner_lets_a_hedged_sentence_pass(hedged: str) -> None:
    assert not overstatements(hedged)


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("このルーティンで睡眠の質が改善します。", True),
        ("毎晩続ければ、ぐっすり眠れます。", True),
        ("肩こりや頭痛を和らげます。", True),
        ("ひざの痛みが消えます。", True),
        ("ルーティンで睡眠が改善するかどうかを確かめましょう。", False),
        ("施術者は、眠りが深くなると考えています。", False),
        ("足を休めて、ぐっすりお休みください。", False),
    ],
)
def test_the_japanese_scanner(text: str, claim: bool) -> None:
    assert bool(ja_overstatements(text)) is claim


@pytest.mark.parametrize(
    ("where", "texts", "scan"),
    [
        ("catalog", lambda: list(catalog_messages()), overstatements),
        ("Japanese catalog", lambda: list(japanese_messages()), ja_overstatements),
        ("command help", lambda: list(help_texts()), overstatements),
        ("README", lambda: [(ROOT / "README.md").read_text("utf-8")], overstatements),
    ],
)
def test_no_text_states_that_the_routine_works(where: str, texts: object, scan: object) -> None:
    assert callable(texts) and callable(scan)
    found = [s for text in texts() for s in scan(text)]
    assert not found, f"{where}: causal claims stated as fact: {found}"


def test_the_catalog_and_help_were_really_scanned() -> None:
    assert sum(1 for _ in catalog_messages()) > 200
    assert sum(1 for _ in japanese_messages()) > 200
    assert sum(1 for t in help_texts() if t) > 50


def test_the_readme_names_only_places_that_really_show_the_safety_notes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 22: the README said `anklesleep show full` prints where the safety notes are; its
    output never mentions them. Any command a README sentence about the safety notes names
    must print them; the web app's About page must hold them, as the README says."""
    from anklesleep.routine import safety
    from anklesleep.store import open_database
    from tests.cli_helpers import run_cli
    from tests.web_helpers import client

    readme = (ROOT / "README.md").read_text("utf-8")
    about = [s for s in sentences(readme) if "safety notes" in s.lower()]
    assert about and any("About" in s for s in about)
    first_note = safety.NOTES[1]
    for sentence in about:
        for command in re.findall(r"`anklesleep ([^`]+)`", sentence):
            shown = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), *command.split())
            assert first_note in " ".join(shown.out.split()), (command, sentence)
    engine = open_database(tmp_path / "x.sqlite3")
    page, _ = client(engine, tmp_path)
    assert first_note in " ".join(page.get("/about").text.split())
    engine.dispose()
    shown = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), "show", "full")
    assert first_note not in " ".join(shown.out.split())  # so `show` must not be named
