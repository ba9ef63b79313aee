"""Identifiers for commerce records.

`new_id` sorts by creation (so basket lines and order lines keep the order they were added in) and has a
random tail; `new_secret_id` is for identifiers that act as a credential (a basket id in a cookie)."""

from __future__ import annotations

import itertools
import secrets
import time

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people read references aloud
_counter = itertools.count()


def new_id() -> str:
    return f"{time.time_ns():016X}{next(_counter) % 0x10000:04X}{secrets.token_hex(2).upper()}"


def new_secret_id() -> str:
    return secrets.token_urlsafe(24)


def new_reference(length: int = 8) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_barcode() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(16))
