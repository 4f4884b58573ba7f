"""Writes of the partners app, one module per concern: milestones, agreements, the IP and income
ledger, partner invitations and evidence uploads."""
