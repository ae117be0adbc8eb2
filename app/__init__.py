"""Kith: a terminal notebook for the people you meet."""
