"""Oversight: the SSS's monthly review of TA activities (R1) — review marks and send-backs."""
