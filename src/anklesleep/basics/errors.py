"""The one exception type for mistakes a user can make, with messages that say how to fix them."""

from __future__ import annotations


class AnkleSleepError(Exception):
    """A problem the user can fix: bad input, a bad file, a missing tool.

    The message is one line naming the field, the value and what is allowed; shells print it
    as it is (the CLI exits 2, the web app answers 4xx).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0])
