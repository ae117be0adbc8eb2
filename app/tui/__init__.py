"""The Kith app (Textual). Screens call app.core only; slow work runs in workers."""
