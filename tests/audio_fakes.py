"""A fake speech engine for audio tests: deterministic, instant, and counting its calls."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from anklesleep.voice import Samples

FAKE_RATE = 22050


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
        seconds = 0.06 * len(text)
        t = np.arange(round(seconds * FAKE_RATE)) / FAKE_RATE
        # a 130 Hz buzz with its harmonics, roughly the spectrum of a low voice
        buzz = sum(np.sin(2 * np.pi * 130 * k * t) / k for k in range(1, 30))
        burst = self.level * buzz / np.max(np.abs(buzz))
        silence_before = np.zeros(round(self.lead * FAKE_RATE))
        silence_after = np.zeros(round(self.tail * FAKE_RATE))
        samples = np.concatenate([silence_before, burst, silence_after]).astype(np.float32)
        return samples, FAKE_RATE

    def burst_seconds(self, text: str) -> float:
        return 0.06 * len(text)
