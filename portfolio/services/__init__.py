"""Writes of the portfolio app, one module per concern (ideas, reviews, projects, ...).

Functions are keyword-only, named ``<entity>_<action>``, run in a transaction and call
``full_clean()`` before saving.
"""
