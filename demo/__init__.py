"""Demo data: a hand-written world of two regions (``seed``) and bulk copies for benchmarks
(``scale``). ``manage.py seed_demo`` is the way in.

It sits above every other app: it fills them all, and nothing imports it."""
