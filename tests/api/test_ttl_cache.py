"""TtlCache: what the dialects remember of each caller for a few seconds."""

from __future__ import annotations

from boxoffice.api.ttl_cache import TtlCache


def test_a_value_is_trusted_for_its_seconds_then_read_again() -> None:
    cache: TtlCache[str, int] = TtlCache(60)
    assert cache.get("k") is None
    cache.put("k", 1)
    assert cache.get("k") == 1
    cache.seconds = 0.0  # older than its seconds: stale, the caller reads it again
    assert cache.get("k") is None
    cache.seconds = 60
    cache.put("k", 2)
    assert cache.get("k") == 2


def test_a_flood_of_keys_starts_it_over() -> None:
    cache: TtlCache[int, int] = TtlCache(60, max_entries=3)
    for n in range(3):
        cache.put(n, n)
    assert [cache.get(n) for n in range(3)] == [0, 1, 2]
    cache.put(3, 3)
    assert [cache.get(n) for n in range(4)] == [None, None, None, 3]
    cache.clear()
    assert cache.get(3) is None
