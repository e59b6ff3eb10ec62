"""A Japanese script of the full routine, for measuring the Japanese voice (benchmarks/render.py).

Written for this benchmark (the app's own Japanese catalog is the translation that ships): every
text the full routine speaks, keyed by its English source. Counts are written in kana so the
reading is unambiguous.
"""

from __future__ import annotations

JA_SCRIPT: dict[str, str] = {
    "Settle in.": "楽な姿勢になりましょう。",
    "Welcome. This is the ankle-bone massage, for both feet, at an unhurried pace.": (
        "ようこそ。両足の距骨のマッサージを、ゆっくりしたペースで行います。"
    ),
    "Ankle-bone self-massage": "距骨のセルフマッサージ",
    "Full routine": "フルコース",
    "Bells: bright = hold, lower = let go, deeper = the last one. Chapters in the .vtt file.": (
        "鐘：明るい音は押さえる、低い音はゆるめる、深い音は最後の一回。"
        "チャプターは .vtt ファイルにあります。"
    ),
    "Left foot": "左足",
    "Right foot": "右足",
    "left foot": "左足",
    "right foot": "右足",
    "Sit where you can rest one foot across the other knee, with your toes, ankle and heel "
    "in easy reach.": (
        "片方の足を反対のひざに乗せて座り、足指、足首、かかとに手が届くようにします。"
    ),
    "We begin with your {foot}.": "{foot}から始めます。",
    "Listen for the sounds. A bright bell means hold. A lower bell means let go. Soft ticks keep "
    "the pace of circles and tilts. A deeper bell marks the last one, and two rising notes end "
    "each toe stretch.": (
        "音を合図にしてください。明るい鐘は押さえる合図、低い鐘はゆるめる合図です。"
        "やわらかい音が、回す動きと傾ける動きのペースを刻みます。"
        "深い鐘は最後の一回、上がっていく二つの音は、足指のストレッチの終わりを知らせます。"
    ),
    "Press only as firmly as feels comfortable, and stop if anything hurts.": (
        "心地よいと感じる強さで押し、痛みがあればすぐにやめてください。"
    ),
    "Toes": "足指",
    "Ankle": "足首",
    "Heel": "かかと",
    "Pull the big toe and the second toe apart.": "親指と人さし指を、左右に引き離します。",
    "Pull the second toe and the middle toe apart.": "人さし指と中指を引き離します。",
    "Pull the middle toe and the fourth toe apart.": "中指と薬指を引き離します。",
    "Pull the fourth toe and the little toe apart.": "薬指と小指を引き離します。",
    "Hold the middle toe still and draw the second and fourth toes away from it.": (
        "中指を動かさないように押さえて、人さし指と薬指を外側へ離します。"
    ),
    "Draw the big toe and the little toe outward, away from the others.": (
        "親指と小指を、ほかの指から外側へ離します。"
    ),
    "Switch to the right foot.": "右足に替えます。",
    "Switch to the left foot.": "左足に替えます。",
    "Halfway there.": "ここで半分です。",
    "Put your index and middle fingertips just under the outer ankle knob and your thumb just "
    "under the inner one. Hold firmly. Both hands make a firmer ring.": (
        "人さし指と中指の先を外くるぶしのすぐ下に、親指を内くるぶしのすぐ下に当てます。"
        "しっかり持ちます。両手で持つと、輪がより安定します。"
    ),
    "Keep the grip and circle the whole ankle inward. Let the ankle turn, not your hand.": (
        "そのまま持って、足首全体を内回しに回します。手ではなく、足首を回しましょう。"
    ),
    "Now circle the ankle outward, still holding firmly.": (
        "次は、しっかり持ったまま、外回しに回します。"
    ),
    "Cup the heel in the palm of the opposite hand, with your thumb along the inner side of the "
    "foot.": "反対の手のひらでかかとを包み、親指を足の内側に沿わせます。",
    "Tilt the heel outward, then inward, in wide easy movements.": (
        "かかとを外側へ、次に内側へ、大きくゆったりと傾けます。"
    ),
    "That is all. Rest your feet and sleep well.": (
        "これで終わりです。足を休めて、ゆっくりお休みください。"
    ),
    "One.": "いち。",
    "Two.": "に。",
    "Three.": "さん。",
    "Four.": "よん。",
    "Five.": "ご。",
    "Six.": "ろく。",
    "Seven.": "なな。",
    "Eight.": "はち。",
    "Nine.": "きゅう。",
    "Ten.": "じゅう。",
    "Last one.": "最後です。",
}

#: English texts asked for that have no Japanese here (printed by the benchmark)
MISSING: set[str] = set()


def translate_ja(message: str) -> str:
    """The Japanese for `message`; a text missing here is noted and spoken as a pause."""
    found = JA_SCRIPT.get(message)
    if found is None:
        MISSING.add(message)
        return "、"  # never hand English to the Japanese voice
    return found
