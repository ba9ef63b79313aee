from __future__ import annotations

import pytest
from sqlalchemy import text

from boxoffice.storage.database import make_engine
from tests.conftest import _PG_PROBLEM, POSTGRES_URL


@pytest.mark.skipif(_PG_PROBLEM is not None, reason="PostgreSQL unreachable")
def test_options_in_the_url_are_kept_and_ours_added() -> None:
    engine = make_engine(f"{POSTGRES_URL}?options=-c%20application_name%3Dboxoffice-test")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("show application_name")).scalar_one() == "boxoffice-test"
            assert conn.execute(text("show lock_timeout")).scalar_one() == "5s"
            assert conn.execute(text("show statement_timeout")).scalar_one() == "30s"
    finally:
        engine.dispose()
