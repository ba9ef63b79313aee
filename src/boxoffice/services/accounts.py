"""A company's account (seats.io's ``/accounts/me``): read it, change its settings, its password, its
designer key. The rules of the settings are domain/accounts.py; what uses them: the hold period is the
default life of a new hold token (services/hold_tokens.py), the chart validation levels decide what
validating a chart reports and whether an event can be made on it (services/chart_validation.py).

The designer key is kept as the workspace secret keys are (services/keys.py): derived from the system
secret and shown again when the server has one, else shown once, when made. boxoffice serves no chart
designer, so the key opens nothing here; it is kept for the clients that show or pass it on. Likewise no
boxoffice login takes the password yet: it is kept, as a scrypt hash (services/passwords.py), for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from boxoffice.domain import accounts as rules
from boxoffice.domain.accounts import AccountSettings
from boxoffice.domain.errors import NotFound
from boxoffice.domain.records import Company
from boxoffice.services.keys import DESIGNER_KEY, new_workspace_secret, shown_workspace_secret
from boxoffice.services.passwords import hash_password
from boxoffice.storage.accounts import StoredAccount
from boxoffice.storage.uow import Database, UnitOfWork


@dataclass(frozen=True, slots=True)
class AccountView:
    company: Company
    email: str | None
    designer_key: str | None  # None: none yet, or it cannot be shown again (no system secret)
    settings: AccountSettings


def _require(uow: UnitOfWork, company_id: int) -> StoredAccount:
    found = uow.accounts.get(company_id)
    if found is None:
        raise NotFound(f"No account for company {company_id}")
    return found


def get_account(db: Database, company_id: int, *, system_secret: str = "") -> AccountView:
    with db.read() as uow:
        stored = _require(uow, company_id)
    designer_key = None
    if stored.designer_key_hash is not None:
        designer_key = shown_workspace_secret(
            system_secret, stored.designer_key_salt, stored.designer_key_hash, DESIGNER_KEY
        )
    return AccountView(stored.company, stored.email, designer_key, stored.settings)


def account_settings(uow: UnitOfWork, company_id: int) -> AccountSettings:
    return _require(uow, company_id).settings


def update_setting(db: Database, company_id: int, key: str, value: str) -> None:
    """One chart validation check's level (``VALIDATE_DUPLICATE_LABELS`` = ``WARNING``, say)."""
    setting, level = rules.validation_setting(key, value)
    with db.write() as uow:
        uow.workspaces.lock_company(company_id)
        _require(uow, company_id)
        uow.accounts.set_validation_level(company_id, setting, level.value)
        uow.commit()


def change_hold_period(db: Database, company_id: int, minutes: int) -> None:
    """The life of new hold tokens made without one; tokens already made keep theirs."""
    checked = rules.hold_period(minutes)
    with db.write() as uow:
        _require(uow, company_id)
        uow.accounts.set_hold_period(company_id, checked)
        uow.commit()


def set_draft_chart_drawings(db: Database, company_id: int, enabled: bool) -> None:
    with db.write() as uow:
        _require(uow, company_id)
        uow.accounts.set_draft_chart_drawings(company_id, enabled)
        uow.commit()


def change_password(db: Database, company_id: int, password: str) -> None:
    hashed = hash_password(rules.password(password))  # slow on purpose: outside the transaction
    with db.write() as uow:
        _require(uow, company_id)
        uow.accounts.set_password_hash(company_id, hashed)
        uow.commit()


def regenerate_designer_key(db: Database, company_id: int, *, system_secret: str = "") -> str:
    """A new designer key in place of the old one, which is gone."""
    made = new_workspace_secret(system_secret, DESIGNER_KEY)
    with db.write() as uow:
        _require(uow, company_id)
        uow.accounts.set_designer_key(company_id, made.digest, made.salt)
        uow.commit()
    return made.secret
