"""Live playback in the terminal: the clock seam, the player's state machine driven by an
injected clock, the audio-output seam, and the Rich screen with its keys.

May import `basics` and the other domains; recording a session in the store happens in
`services.playback`.
"""
