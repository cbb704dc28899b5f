"""Runnable examples: the demo landing site and its setup (``make run`` starts both)."""
