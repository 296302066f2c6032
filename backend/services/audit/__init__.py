"""The tamper-evident trail of staff actions and look-ups."""
