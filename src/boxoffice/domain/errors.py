"""Domain errors: what went wrong, as data. Each API dialect maps them to its own wire format.

BoxofficeError                      (code: a stable string; http_status: a hint for dialects)
├── NotFound
│   ├── WorkspaceNotFound
│   ├── SecretKeyNotFound           (a workspace secret key to remove)
│   ├── ChartNotFound
│   ├── EventNotFound
│   ├── ObjectNotFound              (labels)
│   ├── HoldTokenNotFound
│   └── ChannelNotFound
├── InvalidInput                    (a request that can never succeed as written)
│   ├── ChartInvalid                (problems: every problem found, nothing imported)
│   ├── DrawingInvalid              (failed: the chart validation checks the company makes errors)
│   ├── HoldTokenExpiryInvalid
│   ├── UnknownSetting / InvalidSettingValue  (an account setting seats.io does not have, or its value)
│   ├── HoldPeriodInvalid           (an account's hold period: 1 to 120 minutes)
│   └── PasswordInvalid
├── Conflict                        (would succeed on other data)
│   ├── IllegalStatusChange         (label, reason)
│   ├── HoldTokenExpired
│   ├── ObjectNotAvailable / SeatUnavailable
│   ├── BestAvailableNotFound
│   ├── AlreadyExists
│   ├── AreaPlacesUnavailable       (places of a GA area cannot move into or out of a channel's share)
│   ├── WorkspaceChangeRefused       (delete an active workspace, deactivate the default, ...)
│   └── Busy                        (a lock could not be had in time; retry)
├── RateLimited                     (429: too many calls of a kind for now; retry_after seconds)
├── Unauthorized
└── Forbidden
    └── WorkspaceInactive           (a call on a deactivated workspace)
"""

from __future__ import annotations

from dataclasses import dataclass, field


class BoxofficeError(Exception):
    code = "ERROR"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(BoxofficeError):
    code = "NOT_FOUND"
    http_status = 404


class WorkspaceNotFound(NotFound):
    code = "WORKSPACE_NOT_FOUND"


class ChartNotFound(NotFound):
    code = "CHART_NOT_FOUND"

    @classmethod
    def in_workspace(cls, key: str, workspace_key: str) -> ChartNotFound:
        return cls(f"Chart not found: {key} was not found in workspace {workspace_key}")  # seats.io's words


class EventNotFound(NotFound):
    code = "EVENT_NOT_FOUND"

    @classmethod
    def in_workspace(cls, keys: str, workspace_key: str) -> EventNotFound:
        return cls(f"Event not found: {keys} was not found in workspace {workspace_key}")  # seats.io's words


class SecretKeyNotFound(NotFound):
    code = "SECRET_KEY_NOT_FOUND"


class HoldTokenNotFound(NotFound):
    code = "HOLD_TOKEN_NOT_FOUND"


class ChannelNotFound(NotFound):
    code = "CHANNEL_NOT_FOUND"


class ObjectNotFound(NotFound):
    code = "OBJECT_NOT_FOUND"

    def __init__(self, labels: list[str], event_key: str | None = None) -> None:
        where = f" in event {event_key}" if event_key else ""
        super().__init__(f"Object(s) not found{where}: {', '.join(labels)}")
        self.labels = labels


class InvalidInput(BoxofficeError):
    code = "INVALID_INPUT"
    http_status = 400


@dataclass(frozen=True, slots=True)
class ChartProblem:
    code: str  # e.g. UNKNOWN_CATEGORY (a problem), VALIDATE_DUPLICATE_LABELS (a finding): chart_validation.py
    message: str
    label: str | None = None


class ChartInvalid(InvalidInput):
    code = "CHART_VALIDATION_FAILED"

    def __init__(self, problems: list[ChartProblem]) -> None:
        summary = "; ".join(p.message for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"Invalid chart: {summary}{more}")
        self.problems = problems


class DrawingInvalid(InvalidInput):
    """A chart version whose findings the company's chart validation levels make errors (`failed`): no event
    can be made on it, or it cannot be published. `warned`: the checks at the WARNING level that failed."""

    code = "DRAWING_VALIDATION_FAILED"

    def __init__(self, message: str, version: str, failed: tuple[str, ...], warned: tuple[str, ...] = ()) -> None:
        super().__init__(f"{message}: {', '.join(failed)}")
        self.summary = message
        self.short = f"Invalid {version} drawing"  # `version`: "draft" or "published"
        self.failed = failed
        self.warned = warned


class UnknownSetting(InvalidInput):
    code = "UNKNOWN_SETTING"


class InvalidSettingValue(InvalidInput):
    code = "INVALID_SETTING_VALUE"


class HoldPeriodInvalid(InvalidInput):
    code = "HOLD_PERIOD_INVALID"


class PasswordInvalid(InvalidInput):
    code = "PASSWORD_INVALID"


class Conflict(BoxofficeError):
    code = "CONFLICT"
    http_status = 400


class IllegalStatusChange(Conflict):
    """A status change that the rules forbid; nothing was changed."""

    code = "ILLEGAL_STATUS_CHANGE"

    def __init__(self, label: str, reason: str, event_key: str | None = None, *, message: str | None = None) -> None:
        where = f" in event {event_key}" if event_key else ""
        super().__init__(message or f"Illegal status change for object {label}{where}: {reason}")
        self.label = label
        self.reason = reason
        self.event_key = event_key
        self._own_message = message

    def in_event(self, event_key: str) -> IllegalStatusChange:
        """The same refusal, naming the event it happened in."""
        return IllegalStatusChange(self.label, self.reason, event_key, message=self._own_message)

    @classmethod
    def previous_status(cls, label: str, status: str, target: str, *, allowed: bool) -> IllegalStatusChange:
        """`allowedPreviousStatuses` / `rejectedPreviousStatuses` refused the change, in seats.io's words."""
        listed = "is not in the list of allowed" if allowed else "is in the list of rejected"
        reason = f"{status} {listed} previous statuses"
        return cls(label, reason, message=f"Cannot change from [{status}] to [{target}]: {reason}")


class HoldTokenExpired(Conflict):
    code = "HOLD_TOKEN_EXPIRED"


class HoldTokenExpiryInvalid(InvalidInput):
    code = "HOLD_TOKEN_EXPIRY_INVALID"


class BestAvailableNotFound(Conflict):
    code = "BEST_AVAILABLE_OBJECTS_NOT_FOUND"


class AlreadyExists(Conflict):
    code = "ALREADY_EXISTS"


class AreaPlacesUnavailable(Conflict):
    """Places of a general admission area that cannot move into a channel's share (taken, off sale, in
    another channel) or out of it (taken); nothing was changed."""

    code = "AREA_PLACES_UNAVAILABLE"


class WorkspaceChangeRefused(Conflict):
    """A workspace change the rules forbid (domain/workspaces.py); nothing was changed."""

    code = "WORKSPACE_CHANGE_REFUSED"


class Busy(Conflict):
    """The inventory was too contended to take the lock in time. Retry shortly."""

    code = "RESOURCE_BUSY"
    http_status = 409


class RateLimited(BoxofficeError):
    """Too many calls of a limited kind for now (seats.io's 10 for-sale changes per event per day)."""

    code = "RATE_LIMIT_EXCEEDED"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds until a call is allowed again


class Unauthorized(BoxofficeError):
    code = "UNAUTHORIZED"
    http_status = 401


class Forbidden(BoxofficeError):
    code = "FORBIDDEN"
    http_status = 403


class WorkspaceInactive(Forbidden):
    """Every call on an inactive workspace fails, except the company admin's workspace management."""

    code = "WORKSPACE_INACTIVE"


@dataclass(slots=True)
class Problems:
    """Collects problems while validating, so a caller sees all of them at once."""

    items: list[ChartProblem] = field(default_factory=list)

    def add(self, code: str, message: str, label: str | None = None) -> None:
        self.items.append(ChartProblem(code, message, label))


# -- commerce -------------------------------------------------------------------------------------------
class NotOnSale(Conflict):
    """The performance is not on sale through this channel now (or is cancelled)."""

    code = "NOT_ON_SALE"


class PriceNotFound(InvalidInput):
    """No price for this ticket type in this price band."""

    code = "PRICE_NOT_FOUND"


class SoldOut(Conflict):
    code = "SOLD_OUT"


class OutOfStock(Conflict):
    code = "OUT_OF_STOCK"


class AlreadyMember(Conflict):
    code = "ALREADY_MEMBER"


class NotEligible(Conflict):
    code = "NOT_ELIGIBLE"


class BasketNotFound(NotFound):
    code = "BASKET_NOT_FOUND"


class BasketEmpty(InvalidInput):
    code = "BASKET_EMPTY"


class BasketExpired(Conflict):
    code = "BASKET_EXPIRED"


class BasketConsumed(Conflict):
    """The basket was already checked out into an order."""

    code = "BASKET_ALREADY_CHECKED_OUT"


class PaymentDeclined(Conflict):
    code = "PAYMENT_DECLINED"
    http_status = 402


class CatalogueItemNotFound(NotFound):
    code = "ITEM_NOT_FOUND"


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"


class ItemError(Conflict):
    """One item of a multi-item request failed; `index` says which (0-based) and `cause` why."""

    def __init__(self, index: int, cause: BoxofficeError) -> None:
        super().__init__(f"Item {index + 1}: {cause.message}")
        self.index = index
        self.cause = cause
        self.code = cause.code
        self.http_status = cause.http_status
