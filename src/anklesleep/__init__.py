"""anklesleep: a hands-free coach for the ankle-bone self-massage routine, and a sleep diary."""

__version__ = "0.1.0"
