"""How Kith says a count to the user."""


def counted(n: int, noun: str) -> str:
    """"1 note", "2 notes", "0 notes" (a noun whose plural takes an s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
