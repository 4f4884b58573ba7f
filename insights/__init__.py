"""What leaders read across the portfolio and its partnerships: the dashboard, its exports and
the periodic status digests. The top domain layer: it reads ideas and projects (portfolio) and
milestones and agreements (partners) together, and nothing below imports it."""
