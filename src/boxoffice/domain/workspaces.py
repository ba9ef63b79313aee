"""The rules of a workspace's life, as seats.io keeps them.

A workspace is active or inactive; every call on an inactive one fails. The company's default workspace
(the one the admin key works in when no workspace is named) is always active: it cannot be deactivated,
and an inactive workspace cannot become the default. Only an inactive workspace can be deleted. A
workspace keeps at least one secret key; listing shows the newest workspace first.

    >>> check_delete(Workspace(1, 1, "k", "a ws", is_active=True))
    Traceback (most recent call last):
    ...
    boxoffice.domain.errors.WorkspaceChangeRefused: Cannot delete active workspace, please deactivate it first
"""

from __future__ import annotations

from boxoffice.domain.errors import WorkspaceChangeRefused
from boxoffice.domain.records import Workspace

DEFAULT_WORKSPACE_NAME = "Production workspace"  # what seats.io calls a new company's first workspace


def check_delete(workspace: Workspace) -> None:
    if workspace.is_active:
        raise WorkspaceChangeRefused("Cannot delete active workspace, please deactivate it first")


def check_deactivate(workspace: Workspace) -> None:
    if workspace.is_default:
        raise WorkspaceChangeRefused("Cannot deactivate the default workspace")


def check_set_default(workspace: Workspace) -> None:
    if not workspace.is_active:
        raise WorkspaceChangeRefused("Cannot make an inactive workspace the default workspace")


def check_remove_secret_key(keys_left: int) -> None:
    """`keys_left`: how many secret keys the workspace would keep."""
    if keys_left < 1:
        raise WorkspaceChangeRefused("Cannot remove the last secret key of a workspace")
