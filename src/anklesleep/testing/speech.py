"""A fake speech engine: deterministic, instant, and counting its calls (audio tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from anklesleep.audio.voices import Samples

FAKE_RATE = 22050
BUZZ_HZ = 126  # 22050 / 126 = 175 samples: a whole number per period
PERIOD = FAKE_RATE // BUZZ_HZ


@dataclass
class FakeEngine:
    """Speaks every text as a buzzy burst (many harmonics, like a voice) padded with silence.

    The burst lasts 0.06 s per character, so longer texts take longer, as real speech does.
    """

    name: str = "fake"
    voice: str = "test"
    rate: int = 100
    calls: list[str] = field(default_factory=list)
    lead: float = 0.3
    tail: float = 0.5
    level: float = 0.3

    def available(self) -> bool:
        return True

    def synthesize(self, text: str) -> tuple[Samples, int]:
        self.calls.append(text)
        n = round(0.06 * len(text) * FAKE_RATE)
        # a 126 Hz buzz with its harmonics, roughly the spectrum of a low voice; harmonics at
        # 504, 630, 756 and 882 Hz sit right next to the tones. One period, repeated.
        t = np.arange(PERIOD) / FAKE_RATE
        period = sum(np.sin(2 * np.pi * BUZZ_HZ * k * t) / k for k in range(1, 30))
        buzz = np.tile(period, n // PERIOD + 1)[:n]
        burst = self.level * buzz / np.max(np.abs(buzz))
        silence_before = np.zeros(round(self.lead * FAKE_RATE))
        silence_after = np.zeros(round(self.tail * FAKE_RATE))
        samples = np.concatenate([silence_before, burst, silence_after]).astype(np.float32)
        return samples, FAKE_RATE

    def burst_seconds(self, text: str) -> float:
        return round(0.06 * len(text) * FAKE_RATE) / FAKE_RATE
