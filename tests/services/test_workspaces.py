"""Workspaces and their secret keys, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from boxoffice.domain.errors import (
    SecretKeyNotFound,
    Unauthorized,
    WorkspaceChangeRefused,
    WorkspaceInactive,
    WorkspaceNotFound,
)
from boxoffice.services import workspace_admin as admin
from boxoffice.services import workspaces as service
from boxoffice.services.workspaces import NewCompany
from boxoffice.storage.uow import Database

SECRET = "system-secret"


def _company(db: Database, system_secret: str = SECRET) -> NewCompany:
    return service.create_company(db, "Venue", system_secret=system_secret)


def test_a_new_company_has_an_active_default_production_workspace(db: Database) -> None:
    made = _company(db)
    assert made.workspace.name == "Production workspace"
    assert made.workspace.is_default and made.workspace.is_active
    view = service.get_workspace(db, made.company.id, made.workspace.key, system_secret=SECRET)
    assert view.secret_keys == [made.workspace_secret_key]
    assert service.authenticate(db, made.workspace_secret_key).workspace.key == made.workspace.key


def test_keys_are_shown_again_only_when_derived_from_the_system_secret(db: Database) -> None:
    made = _company(db, system_secret="")
    view = service.get_workspace(db, made.company.id, made.workspace.key, system_secret=SECRET)
    assert view.secret_keys == []  # random, shown once; it still works
    assert service.authenticate(db, made.workspace_secret_key).workspace.id == made.workspace.id
    added = admin.add_secret_key(db, made.company.id, made.workspace.key, system_secret=SECRET)
    assert service.get_workspace(db, made.company.id, made.workspace.key, system_secret=SECRET).secret_keys == [added]
    assert service.get_workspace(db, made.company.id, made.workspace.key, system_secret="rotated").secret_keys == []


def test_add_remove_and_regenerate_secret_keys(db: Database) -> None:
    made = _company(db)
    cid, key, first = made.company.id, made.workspace.key, made.workspace_secret_key
    second = admin.add_secret_key(db, cid, key, system_secret=SECRET)
    assert service.get_workspace(db, cid, key, system_secret=SECRET).secret_keys == [first, second]
    assert service.authenticate(db, second).workspace.key == key

    admin.remove_secret_key(db, cid, key, first)
    assert service.get_workspace(db, cid, key, system_secret=SECRET).secret_keys == [second]
    with pytest.raises(Unauthorized):
        service.authenticate(db, first)
    with pytest.raises(SecretKeyNotFound):
        admin.remove_secret_key(db, cid, key, first)
    with pytest.raises(WorkspaceChangeRefused):
        admin.remove_secret_key(db, cid, key, second)  # the last one
    assert service.authenticate(db, second).workspace.key == key  # the refusal changed nothing

    third = admin.add_secret_key(db, cid, key, system_secret=SECRET)
    fresh = admin.regenerate_secret_key(db, cid, key, system_secret=SECRET)
    assert service.get_workspace(db, cid, key, system_secret=SECRET).secret_keys == [fresh]
    for gone in (second, third):
        with pytest.raises(Unauthorized):
            service.authenticate(db, gone)


def test_an_inactive_workspace_refuses_its_keys_until_activated(db: Database) -> None:
    made = _company(db)
    other = service.create_workspace(db, made.company.id, "other", system_secret=SECRET)
    admin.deactivate(db, made.company.id, other.workspace.key)
    with pytest.raises(WorkspaceInactive):
        service.authenticate(db, other.secret_key)
    with pytest.raises(WorkspaceInactive):
        service.authenticate(db, made.admin_key, other.workspace.key)
    assert service.authenticate(db, made.admin_key).workspace.key == made.workspace.key  # the default works
    admin.activate(db, made.company.id, other.workspace.key)
    assert service.authenticate(db, other.secret_key).workspace.key == other.workspace.key


def test_only_an_inactive_workspace_is_deleted_and_then_found_nowhere(db: Database) -> None:
    made = _company(db)
    cid = made.company.id
    other = service.create_workspace(db, cid, "other", system_secret=SECRET)
    with pytest.raises(WorkspaceChangeRefused, match="Cannot delete active workspace"):
        admin.delete(db, cid, other.workspace.key)
    admin.deactivate(db, cid, other.workspace.key)
    admin.delete(db, cid, other.workspace.key)
    with pytest.raises(WorkspaceNotFound, match=f"No workspace found with public key '{other.workspace.key}'"):
        service.get_workspace(db, cid, other.workspace.key)
    with pytest.raises(WorkspaceNotFound):
        admin.activate(db, cid, other.workspace.key)
    with pytest.raises(Unauthorized):
        service.authenticate(db, other.secret_key)
    assert [v.workspace.key for v in service.list_workspaces(db, cid)] == [made.workspace.key]


def test_the_default_moves_and_stays_active(db: Database) -> None:
    made = _company(db)
    cid = made.company.id
    other = service.create_workspace(db, cid, "other", system_secret=SECRET)
    with pytest.raises(WorkspaceChangeRefused):
        admin.deactivate(db, cid, made.workspace.key)
    admin.set_default(db, cid, other.workspace.key)
    defaults = [v.workspace.key for v in service.list_workspaces(db, cid) if v.workspace.is_default]
    assert defaults == [other.workspace.key]
    assert service.authenticate(db, made.admin_key).workspace.key == other.workspace.key
    admin.deactivate(db, cid, made.workspace.key)
    with pytest.raises(WorkspaceChangeRefused):
        admin.set_default(db, cid, made.workspace.key)


def test_lists_by_state_and_company(db: Database) -> None:
    made, stranger = _company(db), _company(db)
    cid = made.company.id
    ws1 = service.create_workspace(db, cid, "ws1").workspace
    ws2 = service.create_workspace(db, cid, "ws2").workspace
    admin.deactivate(db, cid, ws2.key)
    everything = [v.workspace.key for v in service.list_workspaces(db, cid)]
    assert everything == [made.workspace.key, ws1.key, ws2.key]
    assert [v.workspace.key for v in service.list_workspaces(db, cid, active=False)] == [ws2.key]
    assert [v.workspace.key for v in service.list_workspaces(db, cid, active=True)] == [made.workspace.key, ws1.key]
    with pytest.raises(WorkspaceNotFound):
        admin.deactivate(db, stranger.company.id, ws1.key)
    service.rename_workspace(db, cid, ws1.key, "renamed")
    assert service.get_workspace(db, cid, ws1.key).workspace.name == "renamed"
