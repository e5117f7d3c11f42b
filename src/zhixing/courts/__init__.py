"""Court hierarchy, staff, roles and teams."""
