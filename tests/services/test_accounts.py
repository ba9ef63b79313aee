"""A company's account through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.accounts import ValidationLevel
from boxoffice.domain.errors import HoldPeriodInvalid, InvalidSettingValue, PasswordInvalid, UnknownSetting
from boxoffice.services import accounts as service
from boxoffice.services import hold_tokens
from boxoffice.services.clock import utcnow
from boxoffice.services.passwords import verify_password
from boxoffice.services.workspaces import NewCompany, create_company
from boxoffice.storage.uow import Database

SECRET = "system-secret"


def _company(db: Database, system_secret: str = SECRET) -> NewCompany:
    return create_company(db, "Venue", system_secret=system_secret, email="box@venue.example")


def test_a_new_account(db: Database) -> None:
    made = _company(db)
    account = service.get_account(db, made.company.id, system_secret=SECRET)
    assert account.company == made.company and account.email == "box@venue.example"
    assert account.designer_key == made.designer_key and made.designer_key != made.admin_key
    assert account.settings.hold_period_minutes == 15 and account.settings.draft_chart_drawings_enabled
    assert set(account.settings.chart_validation.values()) == {ValidationLevel.OFF}


def test_settings_are_the_companys_own(db: Database) -> None:
    mine, theirs = _company(db), _company(db)
    service.update_setting(db, mine.company.id, "VALIDATE_DUPLICATE_LABELS", "WARNING")
    service.update_setting(db, mine.company.id, "VALIDATE_DUPLICATE_LABELS", "ERROR")  # replaced, not added
    service.update_setting(db, mine.company.id, "VALIDATE_FOCAL_POINT", "WARNING")
    levels = service.get_account(db, mine.company.id).settings.chart_validation
    assert levels["VALIDATE_DUPLICATE_LABELS"] is ValidationLevel.ERROR
    assert levels["VALIDATE_FOCAL_POINT"] is ValidationLevel.WARNING
    assert levels["VALIDATE_UNLABELED_OBJECTS"] is ValidationLevel.OFF
    others = service.get_account(db, theirs.company.id).settings.chart_validation
    assert set(others.values()) == {ValidationLevel.OFF}


def test_bad_settings_change_nothing(db: Database) -> None:
    made = _company(db)
    before = service.get_account(db, made.company.id)
    with pytest.raises(UnknownSetting):
        service.update_setting(db, made.company.id, "VALIDATE_EVERYTHING", "ERROR")
    with pytest.raises(InvalidSettingValue):
        service.update_setting(db, made.company.id, "VALIDATE_FOCAL_POINT", "LOUD")
    with pytest.raises(HoldPeriodInvalid):
        service.change_hold_period(db, made.company.id, 0)
    with pytest.raises(PasswordInvalid):
        service.change_password(db, made.company.id, "short")
    assert service.get_account(db, made.company.id) == before
    with db.read() as uow:
        assert uow.accounts.password_hash(made.company.id) is None


def test_the_hold_period_is_how_long_a_new_token_lives(db: Database) -> None:
    made = _company(db)
    service.change_hold_period(db, made.company.id, 7)
    now = utcnow()
    assert service.get_account(db, made.company.id).settings.hold_period_minutes == 7
    token = hold_tokens.create_hold_token(db, made.workspace, now=now)
    assert token.expires_at - now == timedelta(minutes=7)
    told = hold_tokens.create_hold_token(db, made.workspace, 30, now=now)  # a token's own length wins
    assert told.expires_at - now == timedelta(minutes=30)
    other = _company(db)
    assert hold_tokens.create_hold_token(db, other.workspace, now=now).expires_at - now == timedelta(minutes=15)


def test_draft_chart_drawings_can_be_disabled_and_enabled_again(db: Database) -> None:
    made = _company(db)
    service.set_draft_chart_drawings(db, made.company.id, False)
    assert service.get_account(db, made.company.id).settings.draft_chart_drawings_enabled is False
    service.set_draft_chart_drawings(db, made.company.id, True)
    assert service.get_account(db, made.company.id).settings.draft_chart_drawings_enabled is True


def test_the_password_is_kept_as_a_hash(db: Database) -> None:
    made = _company(db)
    service.change_password(db, made.company.id, "someNewPassword")
    with db.read() as uow:
        stored = uow.accounts.password_hash(made.company.id)
    assert stored is not None and "someNewPassword" not in stored and stored.startswith("scrypt$")
    assert verify_password("someNewPassword", stored) and not verify_password("someOtherPassword", stored)


def test_a_regenerated_designer_key_replaces_the_old_one(db: Database) -> None:
    made = _company(db)
    new = service.regenerate_designer_key(db, made.company.id, system_secret=SECRET)
    assert new != made.designer_key
    assert service.get_account(db, made.company.id, system_secret=SECRET).designer_key == new


def test_without_a_system_secret_the_designer_key_is_shown_once(db: Database) -> None:
    made = _company(db, system_secret="")
    assert made.designer_key
    assert service.get_account(db, made.company.id).designer_key is None
    assert service.regenerate_designer_key(db, made.company.id)
    assert service.get_account(db, made.company.id).designer_key is None
