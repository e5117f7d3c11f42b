"""The one error type service functions raise for bad input or a forbidden action.

Views turn it into a form error on `field`; the API turns it into a 4xx JSON body
`{"detail": message, "field": field, "code": code}`. Nothing is written when it is raised.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Bad input or an action not allowed in the current state; `message` is Chinese, for the user."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotPermitted(ServiceError):
    """The user's role or court does not allow the action."""

    status = 403

    def __init__(self, message: str = "无权执行此操作") -> None:
        super().__init__(message, code="forbidden")


class Conflict(ServiceError):
    """The action is not allowed in the object's current state."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")


class NeedsConfirmation(ServiceError):
    """A warning the user must confirm before the action goes ahead (e.g. a possible duplicate filing)."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="needs_confirmation")
