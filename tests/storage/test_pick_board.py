"""The pick board: claims another process made are seen here, this process's own are not, and a claim ends
when withdrawn or at its deadline. The other process is a real one, on the same file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from boxoffice.storage.database import make_engine
from boxoffice.storage.pick_board import PickBoard, board_of
from boxoffice.storage.uow import Database

_OTHER_PROCESS = """
import sys
from pathlib import Path
from boxoffice.storage.pick_board import PickBoard
board = PickBoard(Path(sys.argv[1]))
board.claim(7, ["A-1", "A-2"])
board.claim(7, ["A-3"])
board.withdraw(7, ["A-3"])
board.claim(8, ["A-1"], for_ms=0)
"""


def test_another_process_claims_are_seen_and_ours_are_not(tmp_path: Path) -> None:
    path = tmp_path / "board"
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS, str(path)], check=True)
    board = PickBoard(path)

    assert board.claimed_elsewhere(7, ["A-1", "A-2", "A-3", "A-4"]) == ["A-1", "A-2"]  # A-3 withdrawn
    assert board.claimed_elsewhere(8, ["A-1", "A-2"]) == []  # another event; and its claim has lapsed
    board.claim(7, ["A-4"])
    assert board.claimed_elsewhere(7, ["A-4"]) == []  # our own


def test_a_claim_is_withdrawn_only_by_its_owner(tmp_path: Path) -> None:
    ours, theirs = PickBoard(tmp_path / "board", tag=1), PickBoard(tmp_path / "board", tag=2)
    theirs.claim(1, ["B-1"])
    ours.withdraw(1, ["B-1"])
    assert ours.claimed_elsewhere(1, ["B-1"]) == ["B-1"]
    theirs.withdraw(1, ["B-1"])
    assert ours.claimed_elsewhere(1, ["B-1"]) == []


def test_one_board_per_postgresql_database_none_on_sqlite(db: Database) -> None:
    with db.read() as uow:
        board = board_of(uow.connection)
        if db.engine.dialect.name == "sqlite":
            assert board is None
            return
        assert board is not None
        assert board_of(uow.connection) is board
        schema = uow.connection.execute(text("select current_schema()")).scalar_one()
    assert board.path.parent.stat().st_mode & 0o777 == 0o700
    assert board.path.stat().st_mode & 0o777 == 0o600
    assert str(schema) not in board.path.name  # a digest of the database's URL names it


def test_schemas_of_one_database_share_its_file_but_not_their_claims(pg_db: Database) -> None:
    other = make_engine(pg_db.engine.url.render_as_string(hide_password=False), schema="public")
    try:
        with pg_db.read() as uow, Database(other).read() as elsewhere:
            ours, theirs = board_of(uow.connection), board_of(elsewhere.connection)
    finally:
        other.dispose()
    assert ours is not None and theirs is not None
    assert ours.path == theirs.path and ours.namespace != theirs.namespace
    PickBoard(theirs.path, tag=ours.tag + 1, namespace=theirs.namespace).claim(1, ["A-1"])
    assert ours.claimed_elsewhere(1, ["A-1"]) == []  # another schema's event 1
    PickBoard(ours.path, tag=ours.tag + 1, namespace=ours.namespace).claim(1, ["A-1"])
    assert ours.claimed_elsewhere(1, ["A-1"]) == ["A-1"]
