from __future__ import annotations

import pytest

from boxoffice.domain import workspaces as rules
from boxoffice.domain.errors import WorkspaceChangeRefused
from boxoffice.domain.records import Workspace


def _ws(*, active: bool = True, default: bool = False) -> Workspace:
    return Workspace(1, 1, "key", "a ws", is_active=active, is_default=default)


def test_only_an_inactive_workspace_can_be_deleted() -> None:
    rules.check_delete(_ws(active=False))
    with pytest.raises(WorkspaceChangeRefused, match="Cannot delete active workspace, please deactivate it first"):
        rules.check_delete(_ws())


def test_the_default_workspace_stays_active() -> None:
    rules.check_deactivate(_ws())
    with pytest.raises(WorkspaceChangeRefused):
        rules.check_deactivate(_ws(default=True))
    rules.check_set_default(_ws())
    with pytest.raises(WorkspaceChangeRefused):
        rules.check_set_default(_ws(active=False))


def test_a_workspace_keeps_a_secret_key() -> None:
    rules.check_remove_secret_key(1)
    with pytest.raises(WorkspaceChangeRefused):
        rules.check_remove_secret_key(0)
