"""Infrastructure shared by every domain: money, calendar, identity numbers, audit, access scoping."""
