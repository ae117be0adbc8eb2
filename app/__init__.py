"""Kith: a terminal notebook for the people you meet."""

import os

# Kith uses no pydantic plugins; looking for them reads every installed package's metadata
# (~20 ms on each start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
