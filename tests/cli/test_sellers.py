"""Setting up agents, commission structures, marketplaces and partners from the command line, on the demo
workspace; a marketplace's pending sale rejected from there too."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from boxoffice.demo import DemoKeys
from boxoffice.services import baskets, marketplaces, partners
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.reports import object_infos
from boxoffice.services.workspaces import authenticate
from boxoffice.storage.uow import Database
from tests.cli.conftest import ok, runner
from tests.factories import SYSTEM_SECRET


def test_agents_marketplaces_and_partners_from_the_command_line(
    demo: DemoKeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from boxoffice.cli.main import app

    monkeypatch.setenv("BOXOFFICE_SYSTEM_SECRET", SYSTEM_SECRET)
    adult = demo.ticket_type_ids["Adult"]
    flat = ok("agents", "commission", "Flat", "--kind", "fixed", "--amount", "150")
    structure = re.search(r"commission structure (\w+)", flat)
    assert structure is not None
    made = ok("agents", "create", "tix4u", "--email", "sales@tix4u.example", "--commission", structure.group(1))
    assert "signing key (shown once)" in made and "lock channel agent-" in made
    assert "tix4u" in ok("agents", "list")
    refused = runner.invoke(app, ["agents", "commission", "Odd", "--kind", "bonus"])
    assert refused.exit_code == 1 and "Commission kind" in refused.output

    sold = ok("marketplace", "create", "StubHub", "--kind", "instantNotification", "--ticket-type", adult)
    marketplace_id = re.search(r"marketplace (\w+)", sold)
    assert marketplace_id is not None and "signing key (shown once)" in sold
    assert "StubHub" in ok("marketplace", "list")
    # a sale of a seat a web buyer holds waits; the venue rejects it from the command line
    db = Database.from_url(os.environ["BOXOFFICE_DATABASE_URL"])
    ws = authenticate(db, demo.workspace_secret_key).workspace
    event = demo.event_keys[0]
    seat = next(
        i.label
        for i in object_infos(db, ws, event)
        if i.object_type == "seat" and i.status == "free" and i.channel_key is None
    )
    web = baskets.open_basket(db, ws)
    baskets.add_tickets(db, ws, web.id, [TicketRequest(event, seat, adult)])
    marketplace = marketplaces.get_marketplace(db, ws, marketplace_id.group(1))
    sale = marketplaces.notify_sale(db, ws, marketplace, "SH-9", event, [seat], {})
    db.dispose()
    assert sale.status == "pending"
    assert sale.id in ok("marketplace", "sales", "--status", "pending")
    assert "rejected" in ok("marketplace", "reject", sale.id, "--reason", "sold out")

    partner = ok("partner", "create", "Ticket Buyback", "--ticket-type", adult)
    partner_id = re.search(r"partner (\w+): client id (ci_\S+)", partner)
    assert partner_id is not None and "client secret (shown once): cs_" in partner
    assert "no" in ok("partner", "list")
    assert "payout configured" in ok("partner", "payout", partner_id.group(1))
    assert "client secret (shown once): cs_" in ok("partner", "rotate-secret", partner_id.group(1))


def test_with_a_system_secret_the_demo_has_an_agent_marketplaces_and_a_partner(
    demo: DemoKeys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert demo.agent_id == ""  # made without a system secret: none of them
    monkeypatch.setenv("BOXOFFICE_SYSTEM_SECRET", SYSTEM_SECRET)
    printed = ok("demo", "--fresh")
    keys = DemoKeys(**json.loads((tmp_path / "var" / "demo-keys.json").read_text()))
    assert keys.agent_key in printed and keys.partner_client_secret in printed and keys.marketplace_oi_key in printed
    db = Database.from_url(os.environ["BOXOFFICE_DATABASE_URL"])
    ws = authenticate(db, keys.workspace_secret_key).workspace
    locked = object_infos(db, ws, keys.event_keys[0], keys.agent_locked)
    assert {i.channel_key for i in locked} == {f"agent-{keys.agent_id}"}
    token, _ = partners.issue_token(db, keys.partner_client_id, keys.partner_client_secret, system_secret=SYSTEM_SECRET)
    assert partners.partner_for_token(db, token, system_secret=SYSTEM_SECRET)[1].payout_configured
    assert {m.kind for m in marketplaces.list_marketplaces(db, ws)} == {"orderIntegration", "instantNotification"}
    db.dispose()
