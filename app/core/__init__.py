"""Use cases of Kith: capture, understand, search, match, recap, follow-ups, export.

Never imports textual; the embedding model is loaded only by the use cases that
need a new embedding.
"""
