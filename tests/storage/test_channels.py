"""ChannelRepository.list: the same order on SQLite and PostgreSQL, with or without an index."""

from __future__ import annotations

from boxoffice.domain.records import Channel
from boxoffice.services import channels
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_channels_in_index_order_then_those_without_an_index_by_key(db: Database) -> None:
    ws, event = make_event(db)
    channels.add_channels(
        db,
        ws,
        event.key,
        [
            Channel("zeta", "Zeta"),
            Channel("b", "B", position=2),
            Channel("alpha", "Alpha"),
            Channel("a", "A", position=2),
            Channel("neg", "Negative", position=-1),
            Channel("zero", "Zero", position=0),
        ],
    )

    listed = channels.list_channels(db, ws, event.key)

    assert [(c.key, c.position) for c in listed] == [
        ("neg", -1),
        ("zero", 0),
        ("a", 2),
        ("b", 2),
        ("alpha", None),
        ("zeta", None),
    ]
    with db.read() as uow:
        assert uow.channels.get(event.id, "alpha") == Channel("alpha", "Alpha", "", None)
        assert uow.channels.get(event.id, "zero") == Channel("zero", "Zero", "", 0)
