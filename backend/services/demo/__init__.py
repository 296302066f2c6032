"""The simulated month, fixtures loading and demo helpers."""
