from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhixing.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self) -> None:
        from . import audit_catalogue  # noqa: F401  (registers this app's audit words, docs/audit.md)
        from .audit_policy import guard_protected_deletes
        from .field_lengths import guard_text_lengths

        # Every app's models are loaded by now: evidence rows refuse ORM deletes (audit_protected).
        guard_protected_deletes()
        # Text longer than its column is refused naming the field, on SQLite as on PostgreSQL.
        guard_text_lengths()
