"""Portfolio forms, one module per page family (ideas, review, projects, ...)."""
