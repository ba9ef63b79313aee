"""Races over a company's workspaces on PostgreSQL: changes are decided one after the other (the company's
row is locked first), so a workspace never loses its last secret key and a company never has two defaults.
The control takes the lock away and shows the keys race does leave a workspace without a key."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from boxoffice.domain.errors import WorkspaceChangeRefused
from boxoffice.services import workspace_admin as admin
from boxoffice.services import workspaces as service
from boxoffice.storage.uow import Database
from boxoffice.storage.workspaces import WorkspaceRepository
from tests.concurrency.race import race

KEYS = 16
COUNT_DELAY_S = 0.02


def _workspace_with_keys(db: Database) -> tuple[int, str, list[str]]:
    made = service.create_company(db, "Race venue", system_secret="s")
    cid, key = made.company.id, made.workspace.key
    keys = [made.workspace_secret_key] + [
        admin.add_secret_key(db, cid, key, system_secret="s") for _ in range(KEYS - 1)
    ]
    return cid, key, keys


def _remove_every_key_at_once(db: Database) -> list[str]:
    """Each caller removes a different key of the same workspace; the keys it still has."""
    cid, key, keys = _workspace_with_keys(db)
    result = race(KEYS, lambda i: admin.remove_secret_key(db, cid, key, keys[i]))
    assert not result.unexpected((WorkspaceChangeRefused,))
    assert len(result.successes) + result.count(WorkspaceChangeRefused) == KEYS
    return service.get_workspace(db, cid, key, system_secret="s").secret_keys


@pytest.fixture
def slow_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the remove-then-count window (the count itself is the real one)."""
    real = WorkspaceRepository.count_secret_keys

    def slow(self: WorkspaceRepository, workspace_id: int) -> int:
        time.sleep(COUNT_DELAY_S)
        return real(self, workspace_id)

    monkeypatch.setattr(WorkspaceRepository, "count_secret_keys", slow)


@pytest.fixture
def unlocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(WorkspaceRepository, "lock_company", lambda self, company_id: None)
    yield


def test_removing_every_key_at_once_leaves_exactly_one(race_db: Database, slow_counts: None) -> None:
    assert len(_remove_every_key_at_once(race_db)) == 1


def test_control_without_the_lock_the_same_race_leaves_no_key(
    race_db: Database, slow_counts: None, unlocked: None
) -> None:
    left = [len(_remove_every_key_at_once(race_db)) for _attempt in range(3)]
    assert 0 in left, f"every attempt kept a key without the lock: {left}"


def test_making_every_workspace_the_default_at_once_leaves_one_default(race_db: Database) -> None:
    made = service.create_company(race_db, "Race venue")
    cid = made.company.id
    keys = [service.create_workspace(race_db, cid, f"ws {i}").workspace.key for i in range(KEYS)]

    result = race(KEYS, lambda i: admin.set_default(race_db, cid, keys[i]))

    assert not result.failures, [repr(o.error) for o in result.failures]  # no deadlock between them
    defaults = [v.workspace.key for v in service.list_workspaces(race_db, cid) if v.workspace.is_default]
    assert len(defaults) == 1 and defaults[0] in keys
