"""Demo data: a hand-written world of two regions (``seed``) and bulk copies for benchmarks
(``scale``). ``manage.py seed_demo`` is the way in."""

from .seed import demo_exists, seed_demo

__all__ = ["demo_exists", "seed_demo"]
