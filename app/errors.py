"""The one error class the user sees: a message and a title, never a traceback."""


class KithError(Exception):
    """A failure the user can act on."""

    title = "Kith"

    def __init__(self, message: str, *, title: str | None = None):
        super().__init__(message)
        self.message = message
        if title:
            self.title = title


class StoreBusy(KithError):
    """Another process's write held the store for longer than a write waits."""

    title = "Store in use"


class NotFound(KithError):
    """A contact, note or item the user named does not exist."""

    title = "Not found"


class IndexUnreachable(KithError):
    """The index server (or its proxy) cannot be reached now: notes are saved and indexed when it is back."""

    title = "Index server unreachable"
