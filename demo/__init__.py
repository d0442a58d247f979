"""The demo: the seed programs' story as data (story.yaml, texts.yaml), replayed through the
services by `player.py`, and large generated programs for the benchmarks (`generate.py`).

Not part of the product: settings add this app (and its `load_demo` and `generate_load`
commands) only when DEBUG is on, and nothing in `mentorpact` imports it but tests.
"""
