"""Agent locks: what goes in (free, for-sale general inventory only), how it stands, mark-backs that return
the unsold and report the rest, the history, and offline sales entered by the venue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.agent_locks import HELD_NOW, SOLD_BY_AGENT, TAKEN, UNSOLD, LockedObject, NotInLock, NotLockable
from boxoffice.domain.agents import Agent
from boxoffice.domain.baskets import Order
from boxoffice.domain.errors import (
    AreaPlacesUnavailable,
    InvalidInput,
    ItemError,
    NotEligible,
    ObjectNotFound,
)
from boxoffice.domain.event_log import EVENT_CHANNELS_UPDATED
from boxoffice.domain.records import Channel, Workspace
from boxoffice.domain.statuses import BOOKED, FREE
from boxoffice.services import agent_locks, baskets, event_log, for_sale, inventory
from boxoffice.services.agent_locks import OfflineSale, OfflineTicket
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.channels import list_channels
from boxoffice.services.checkout import IdempotencyMismatch
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import ObjectRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, commission, make_agent, make_shop


def channel_of(db: Database, shop: ShopFixture, *labels: str) -> dict[str, str | None]:
    return {i.label: i.channel_key for i in object_infos(db, shop.workspace, shop.event_key, list(labels))}


def assert_clean(db: Database, shop: ShopFixture) -> None:
    report = audit(db, workspace_id=shop.workspace.id)
    assert report.clean, report.problems


def sell(db: Database, shop: ShopFixture, agent_id: str, *labels: str, key: str | None = None) -> str:
    sale = OfflineSale(tuple(OfflineTicket(shop.event_key, label, shop.adult) for label in labels), idempotency_key=key)
    return agent_locks.record_offline_sale(db, shop.workspace, agent_id, sale).id


# -- locking ------------------------------------------------------------------------------------------------
def test_a_lock_is_the_agents_channel_made_on_first_use_and_extended_by_later_locks(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    first = agent_locks.lock(db, shop.workspace, shop.event_key, agent.id, objects=["A-1", "A-2", "T2"])
    assert (first.locked, first.already_locked, dict(first.area_places)) == (("A-1", "A-2", "T2"), (), {})
    later = agent_locks.lock(
        db, shop.workspace, shop.event_key, agent.id, objects=["A-2", "A-3"], area_places={"GA": 4}
    )
    assert (later.locked, later.already_locked, dict(later.area_places)) == (("A-3",), ("A-2",), {"GA": 4})

    channels = [c for c in agent_locks_channels(db, shop) if c.key == agent.lock_key]
    assert [(c.name, c.objects, c.area_places) for c in channels] == [
        ("Tix4u Agency", ("A-1", "A-2", "A-3", "T2"), (("GA", 4),))
    ]
    status = later.status
    assert [(o.label, o.standing) for o in status.objects] == [(x, UNSOLD) for x in ("A-1", "A-2", "A-3", "T2")]
    assert [(a.area, a.label, a.places, a.unsold) for a in status.areas] == [("GA", f"GA##{agent.lock_key}", 4, 4)]
    assert status.totals() == {"locked": 8, UNSOLD: 8, HELD_NOW: 0, SOLD_BY_AGENT: 0, TAKEN: 0}
    # nobody else takes them; the agent does
    web = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError, match="channel"):
        baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    assert_clean(db, shop)


def agent_locks_channels(db: Database, shop: ShopFixture) -> list[Channel]:
    return list_channels(db, shop.workspace, shop.event_key)


def test_a_whole_general_admission_area_can_be_locked_only_untouched(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    locked = agent_locks.lock(db, shop.workspace, shop.event_key, agent.id, objects=["GA"])
    assert [(a.label, a.places, a.whole) for a in locked.status.areas] == [("GA", 10, True)]

    other = make_shop(db, shop.workspace)
    inventory.book(db, other.workspace, [other.event_key], [ObjectRequest("GA", quantity=1)], order_id="earlier")
    with pytest.raises(NotLockable, match="some of its places are taken"):
        agent_locks.lock(db, other.workspace, other.event_key, agent.id, objects=["GA"])
    assert agent_locks.lock(db, other.workspace, other.event_key, agent.id, area_places={"GA": 9}).area_places == {
        "GA": 9
    }
    with pytest.raises(AreaPlacesUnavailable):
        agent_locks.lock(db, other.workspace, other.event_key, agent.id, area_places={"GA": 1})
    assert_clean(db, shop)


def test_only_free_for_sale_general_inventory_is_locked_and_a_refusal_changes_nothing(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    rival = make_agent(db, ws, login="rival").agent
    agent_locks.lock(db, ws, shop.event_key, rival.id, objects=["C-1"])
    inventory.book(db, ws, [shop.event_key], ["A-1"], order_id="earlier")
    web = baskets.open_basket(db, ws)
    baskets.add_tickets(db, ws, web.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])
    for_sale.replace_for_sale(db, ws, shop.event_key, for_sale=False, objects=["A-3"])
    before = agent_locks.lock_status(db, ws, shop.event_key, agent.id)

    with pytest.raises(NotLockable) as refused:
        agent_locks.lock(
            db,
            ws,
            shop.event_key,
            agent.id,
            objects=["B-1", "A-1", "A-2", "A-3", "C-1", "T1", "T2-1"],
            area_places={"GA": 2},
        )
    assert refused.value.code == "NOT_LOCKABLE"
    assert dict(refused.value.refusals) == {
        "A-1": "booked, not free",
        "A-2": "held right now",
        "A-3": "not for sale",
        "C-1": f"in channel {rival.lock_key}",
        "T1": "a table booked per seat: lock its seats",
        "T2-1": "at table T2, which is booked as a whole: lock the table",
    }
    assert agent_locks.lock_status(db, ws, shop.event_key, agent.id) == before
    assert channel_of(db, shop, "B-1", "C-1") == {"B-1": None, "C-1": rival.lock_key}
    assert [c.key for c in agent_locks_channels(db, shop)] == [rival.lock_key]  # none made for the refused lock
    with pytest.raises(ObjectNotFound):
        agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["Z-9"])
    with pytest.raises(ObjectNotFound):  # a share is named by its area, in areaPlaces
        agent_locks.lock(db, ws, shop.event_key, agent.id, objects=[f"GA##{rival.lock_key}"])
    for bad in ({"GA": 0}, {"GA": -1}, {"GA": True}):
        with pytest.raises(InvalidInput):
            agent_locks.lock(db, ws, shop.event_key, agent.id, area_places=bad)
    with pytest.raises(InvalidInput):
        agent_locks.lock(db, ws, shop.event_key, agent.id)
    assert_clean(db, shop)


def test_a_lapsed_hold_is_free_to_lock_and_the_log_still_replays(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    past = utcnow() - timedelta(hours=1)
    web = baskets.open_basket(db, shop.workspace, now=past)
    baskets.add_tickets(
        db, shop.workspace, web.id, [TicketRequest(shop.event_key, x, shop.adult) for x in ("A-1", "GA")], now=past
    )
    done = agent_locks.lock(db, shop.workspace, shop.event_key, agent.id, objects=["A-1", "GA"])
    assert done.locked == ("A-1", "GA")
    assert_clean(db, shop)


def test_locks_are_refused_on_seasons(db: Database) -> None:
    from boxoffice.domain.catalogue import Performance
    from tests.factories import make_season

    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    _, season = make_season(db, shop.workspace)
    with db.write() as uow:  # no route makes a season's event a performance yet: the guard is there for when one does
        uow.catalogue.add_performance(Performance(season.id, season.key, shop.production_id, utcnow(), "GBP"))
        uow.commit()
    with pytest.raises(InvalidInput, match="seasons"):
        agent_locks.lock(db, shop.workspace, season.key, agent.id, objects=["A-1"])


# -- how a lock stands --------------------------------------------------------------------------------------
def test_lock_status_tells_unsold_held_sold_by_the_agent_and_taken(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1", "A-2", "A-3", "A-4"], area_places={"GA": 5})
    order_id = sell(db, shop, agent.id, "A-1", f"GA##{agent.lock_key}", f"GA##{agent.lock_key}")
    basket = baskets.open_basket(db, ws, channel="agent", customer_id=agent.id)
    baskets.add_tickets(
        db, ws, basket.id, [TicketRequest(shop.event_key, x, shop.adult) for x in ("A-2", f"GA##{agent.lock_key}")]
    )
    inventory.book(db, ws, [shop.event_key], ["A-3"], order_id="box-office", ignore_channels=True)

    status = agent_locks.lock_status(db, ws, shop.event_key, agent.id)
    assert [(o.label, o.standing, o.order_id) for o in status.objects] == [
        ("A-1", SOLD_BY_AGENT, order_id),
        ("A-2", HELD_NOW, None),
        ("A-3", TAKEN, "box-office"),
        ("A-4", UNSOLD, None),
    ]
    [share] = status.areas
    assert (share.places, share.sold_by_agent, share.held, share.taken, share.unsold) == (5, 2, 1, 0, 2)
    assert status.totals() == {"locked": 9, UNSOLD: 3, HELD_NOW: 2, SOLD_BY_AGENT: 3, TAKEN: 1}
    listed = agent_locks.event_locks(db, ws, shop.event_key)
    assert listed == [status]
    assert agent_locks.lock_status(db, ws, shop.event_key, make_agent(db, ws, login="idle").agent.id).objects == ()


# -- marking back -------------------------------------------------------------------------------------------
def test_a_mark_back_returns_the_unsold_and_reports_what_stays(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws, restricted=True).agent
    share = f"GA##{agent.lock_key}"
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1", "A-2", "A-3"], area_places={"GA": 5})
    sell(db, shop, agent.id, "A-1", share, share)
    basket = baskets.open_basket(db, ws, channel="agent", customer_id=agent.id)
    baskets.add_tickets(db, ws, basket.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])

    back = agent_locks.mark_back(db, ws, shop.event_key, agent.id, objects=["A-1", "A-2", "A-3"], area_places={"GA": 4})
    assert back.marked_back == ("A-3",)
    assert back.kept == (LockedObject("A-1", "seat", SOLD_BY_AGENT), LockedObject("A-2", "seat", HELD_NOW))
    assert (dict(back.places_marked_back), dict(back.places_kept), back.complete) == ({"GA": 3}, {"GA": 1}, False)
    assert [(a.places, a.sold_by_agent, a.unsold) for a in back.status.areas] == [(2, 2, 0)]
    assert channel_of(db, shop, "A-1", "A-2", "A-3") == {"A-1": agent.lock_key, "A-2": agent.lock_key, "A-3": None}
    ga = object_infos(db, ws, shop.event_key, ["GA"])[0]
    assert ga.num_free == 8  # 10, less the 2 still in the lock (sold)

    # the restricted agent no longer sells A-3; the web does
    with pytest.raises(ItemError, match="channel"):
        baskets.add_tickets(db, ws, basket.id, [TicketRequest(shop.event_key, "A-3", shop.adult)])
    web = baskets.open_basket(db, ws)
    baskets.add_tickets(db, ws, web.id, [TicketRequest(shop.event_key, "A-3", shop.adult)])
    assert_clean(db, shop)


def test_a_mark_back_naming_what_the_lock_does_not_hold_is_refused_whole(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    rival = make_agent(db, ws, login="rival").agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1"], area_places={"GA": 2})
    agent_locks.lock(db, ws, shop.event_key, rival.id, objects=["B-1"])
    with pytest.raises(NotInLock) as refused:
        agent_locks.mark_back(db, ws, shop.event_key, agent.id, objects=["A-1", "B-1", "C-1"], area_places={"GA": 3})
    assert refused.value.code == "NOT_IN_LOCK"
    assert dict(refused.value.refusals) == {
        "B-1": f"not in this lock (in channel {rival.lock_key})",
        "C-1": "not in this lock (in general sale)",
        "GA": "the lock holds 2 places of it, 3 asked",
    }
    assert channel_of(db, shop, "A-1") == {"A-1": agent.lock_key}
    with pytest.raises(NotInLock, match="no places"):
        agent_locks.mark_back(db, ws, shop.event_key, rival.id, area_places={"GA": 1})


def test_mark_back_all_returns_everything_unsold(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1", "A-2", "T2"], area_places={"GA": 3})
    other = make_shop(db, ws)
    agent_locks.lock(db, ws, other.event_key, agent.id, objects=["GA"])
    sell(db, shop, agent.id, "A-2", f"GA##{agent.lock_key}")
    sell(db, other, agent.id, "GA")

    back = agent_locks.mark_back_all(db, ws, shop.event_key, agent.id)
    assert back.marked_back == ("A-1", "T2")
    assert [k.label for k in back.kept] == ["A-2"]
    assert (dict(back.places_marked_back), dict(back.places_kept)) == ({"GA": 2}, {"GA": 1})
    assert back.status.totals()["locked"] == back.status.totals()[SOLD_BY_AGENT] == 2
    # a whole area with a place sold stays whole in the lock
    whole = agent_locks.mark_back_all(db, ws, other.event_key, agent.id)
    assert (whole.marked_back, [(k.label, k.standing) for k in whole.kept]) == ((), [("GA", SOLD_BY_AGENT)])
    again = agent_locks.mark_back_all(db, ws, shop.event_key, agent.id)
    assert (again.marked_back, dict(again.places_marked_back)) == ((), {"GA": 0})
    assert_clean(db, shop)


def test_the_history_of_a_lock_is_in_the_status_change_log_and_the_audit_passes_over_it(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1", "A-2"], area_places={"GA": 3})
    agent_locks.mark_back(db, ws, shop.event_key, agent.id, objects=["A-2"], area_places={"GA": 1})
    history = agent_locks.lock_history(db, ws, shop.event_key, agent.id)
    share = f"GA##{agent.lock_key}"
    assert [(h.action, h.label, h.area, h.places) for h in history] == [
        ("lock", "A-1", None, 1),
        ("lock", "A-2", None, 1),
        ("lock", share, "GA", 3),
        ("markBack", "A-2", None, 1),
        ("markBack", share, "GA", 1),
    ]
    items = event_log.page(db, ws, after_id=None, before_id=None, limit=100)
    assert [i.type for i in items if i.subject_key == shop.event_key] == [EVENT_CHANNELS_UPDATED] * 2
    statuses = [i for i in object_infos(db, ws, shop.event_key, ["A-1", "A-2"])]
    assert {i.status for i in statuses} == {FREE}
    assert_clean(db, shop)


# -- offline sales ------------------------------------------------------------------------------------------
def test_an_offline_sale_is_an_order_of_the_agent_paid_on_account_with_commission(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws, restricted=True, commission=commission(fixed_amount=200)).agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1", "B-1"], area_places={"GA": 3})
    sale = OfflineSale(
        (
            OfflineTicket(shop.event_key, "A-1", shop.adult),
            OfflineTicket(shop.event_key, f"GA##{agent.lock_key}", shop.child, quantity=2),
        ),
        end_customer={"lastName": "Smith", "reference": "TIX-42"},
        delivery_method="careOfAgent",
        idempotency_key="offline-1",
    )
    order = agent_locks.record_offline_sale(db, ws, agent.id, sale)
    assert (order.customer_id, order.channel, order.delivery_method) == (agent.id, "agent", "careOfAgent")
    assert order.end_customer == {"lastName": "Smith", "reference": "TIX-42"}
    assert [(t.label, t.price, t.commission) for t in order.tickets] == [
        ("A-1", 3000, 200),
        (f"GA##{agent.lock_key}", 1500, 200),
        (f"GA##{agent.lock_key}", 1500, 200),
    ]
    assert [(p.method, p.amount) for p in order.payments] == [("agency", order.total)]
    assert agent_locks.record_offline_sale(db, ws, agent.id, sale) == order  # the same key: the same order
    assert object_infos(db, ws, shop.event_key, ["A-1"])[0].status == BOOKED
    assert_clean(db, shop)


def test_an_offline_sale_is_all_or_nothing_and_a_restricted_agent_sells_only_its_lock(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws, restricted=True).agent
    agent_locks.lock(db, ws, shop.event_key, agent.id, objects=["A-1"])
    sale = OfflineSale(
        (OfflineTicket(shop.event_key, "A-1", shop.adult), OfflineTicket(shop.event_key, "B-1", shop.adult))
    )
    with pytest.raises(ItemError) as refused:
        agent_locks.record_offline_sale(db, ws, agent.id, sale)
    assert refused.value.index == 1
    assert [i.status for i in object_infos(db, ws, shop.event_key, ["A-1", "B-1"])] == [FREE, FREE]
    free_agent = make_agent(db, ws, login="anywhere").agent
    sold = agent_locks.record_offline_sale(
        db, ws, free_agent.id, OfflineSale((OfflineTicket(shop.event_key, "B-1", shop.adult),))
    )
    assert [t.label for t in sold.tickets] == ["B-1"]  # an unrestricted agent sells general sale too
    with pytest.raises(ItemError):  # but not another agent's lock
        agent_locks.record_offline_sale(
            db, ws, free_agent.id, OfflineSale((OfflineTicket(shop.event_key, "A-1", shop.adult),))
        )
    # the GA line's index is the sale's, whatever the places before it
    ga = OfflineSale(
        (OfflineTicket(shop.event_key, "GA", shop.adult, 3), OfflineTicket(shop.event_key, "Z", shop.adult))
    )
    with pytest.raises(ItemError) as missing:
        agent_locks.record_offline_sale(db, ws, free_agent.id, ga)
    assert missing.value.index == 1
    assert object_infos(db, ws, shop.event_key, ["GA"])[0].num_held == 0
    assert_clean(db, shop)


def test_an_offline_sale_checks_its_details_before_anything(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    line = (OfflineTicket(shop.event_key, "A-1", shop.adult),)
    with pytest.raises(InvalidInput):
        agent_locks.record_offline_sale(db, ws, agent.id, OfflineSale(line, end_customer={"email": "x@y"}))
    with pytest.raises(InvalidInput):
        agent_locks.record_offline_sale(db, ws, agent.id, OfflineSale(()))
    with pytest.raises(ItemError):
        agent_locks.record_offline_sale(
            db, ws, agent.id, OfflineSale((OfflineTicket(shop.event_key, "A-1", shop.adult, 0),))
        )
    from boxoffice.services import agents

    agents.update_agent(db, ws, agent.id, delivery_methods=("collect",))
    with pytest.raises(NotEligible):
        agent_locks.record_offline_sale(db, ws, agent.id, OfflineSale(line, delivery_method="careOfAgent"))
    other = make_agent(db, ws, login="other").agent
    sell(db, shop, other.id, "B-1", key="k-1")
    with pytest.raises(IdempotencyMismatch):
        agent_locks.record_offline_sale(db, ws, agent.id, OfflineSale(line, idempotency_key="k-1"))
    assert object_infos(db, ws, shop.event_key, ["A-1"])[0].status == FREE


def test_the_same_offline_sale_sent_twice_at_once_is_one_order(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    first = sell(db, shop, agent.id, "A-1", key="slip-1")
    looked: list[str] = []
    real = agent_locks._sale_for_key

    def not_yet_then_real(db: Database, workspace: Workspace, agent: Agent, key: str) -> Order | None:
        looked.append(key)
        return None if len(looked) == 1 else real(db, workspace, agent, key)  # the first look came too early

    monkeypatch.setattr(agent_locks, "_sale_for_key", not_yet_then_real)
    assert sell(db, shop, agent.id, "A-1", key="slip-1") == first
    assert looked == ["slip-1", "slip-1"]
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"])[0].order_id == first
