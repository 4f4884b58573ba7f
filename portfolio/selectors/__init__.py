"""Reads of the portfolio app, scoped to the person asking, one module per page family."""
