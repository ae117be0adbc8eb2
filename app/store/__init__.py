"""The system of record (SQLite), the derived vector index (Chroma), the embedder."""
