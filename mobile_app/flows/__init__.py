"""Scripted QA flows: the real screens driven against a live backend, with screenshots."""
