"""Portfolio views: ``staff`` (ideas, challenges) and ``leader`` (review, dashboard)."""
