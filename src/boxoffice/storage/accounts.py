"""A company's account: its row in `companies` beyond the admin key, and its chart validation levels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from boxoffice.domain.accounts import AccountSettings
from boxoffice.domain.records import Company
from boxoffice.storage.tables import account_chart_validation, companies


@dataclass(frozen=True, slots=True)
class StoredAccount:
    company: Company
    email: str | None
    designer_key_hash: str | None
    designer_key_salt: str | None  # services/keys.py; None: shown once, when made
    settings: AccountSettings


class AccountRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, company_id: int) -> StoredAccount | None:
        row = self.conn.execute(select(companies).where(companies.c.id == company_id)).first()
        if row is None:
            return None
        return StoredAccount(
            company=Company(id=row.id, name=row.name),
            email=row.email,
            designer_key_hash=row.designer_key_hash,
            designer_key_salt=row.designer_key_salt,
            settings=AccountSettings.of(
                row.hold_period_minutes, row.draft_chart_drawings_enabled, self.validation_levels(company_id)
            ),
        )

    def hold_period(self, company_id: int) -> int:
        """The company's hold period in minutes (the default of a new hold token)."""
        return int(
            self.conn.execute(select(companies.c.hold_period_minutes).where(companies.c.id == company_id)).scalar_one()
        )

    def validation_levels(self, company_id: int) -> dict[str, str]:
        """The chart validation levels set for the company, by check (those never set are absent)."""
        rows = self.conn.execute(
            select(account_chart_validation.c.setting, account_chart_validation.c.level).where(
                account_chart_validation.c.company_id == company_id
            )
        ).all()
        return {r.setting: r.level for r in rows}

    def set_validation_level(self, company_id: int, setting: str, level: str) -> None:
        """Replace one check's level (the caller holds the company's row: WorkspaceRepository.lock_company)."""
        table = account_chart_validation
        self.conn.execute(delete(table).where(table.c.company_id == company_id, table.c.setting == setting))
        self.conn.execute(insert(table).values(company_id=company_id, setting=setting, level=level))

    def set_hold_period(self, company_id: int, minutes: int) -> None:
        self._update(company_id, hold_period_minutes=minutes)

    def set_draft_chart_drawings(self, company_id: int, enabled: bool) -> None:
        self._update(company_id, draft_chart_drawings_enabled=enabled)

    def set_designer_key(self, company_id: int, digest: str, salt: str | None) -> None:
        self._update(company_id, designer_key_hash=digest, designer_key_salt=salt)

    def set_password_hash(self, company_id: int, password_hash: str) -> None:
        self._update(company_id, password_hash=password_hash)

    def password_hash(self, company_id: int) -> str | None:
        value = self.conn.execute(select(companies.c.password_hash).where(companies.c.id == company_id)).scalar()
        return None if value is None else str(value)

    def _update(self, company_id: int, **values: object) -> None:
        self.conn.execute(update(companies).where(companies.c.id == company_id).values(**values))
