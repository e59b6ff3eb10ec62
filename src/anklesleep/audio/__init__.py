"""Sound: speech engines and their clip cache, how long speech takes (`speech_timing`, which
loads no NumPy, so measuring a session stays quick), gentle tones, mixing a timeline into one
track at exact sample offsets, encoding (Opus, MP3, WAV), WebVTT chapters, and finding tone
onsets in a rendered file (the check that the file is the clock).

May import `basics` and `routine`.
"""
