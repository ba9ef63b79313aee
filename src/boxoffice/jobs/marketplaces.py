"""marketplaces.auto_reject: write down the automatic rejection of Instant Notification sales left pending
past their marketplace's window.

Correctness never waits for this: every read already shows such a sale as rejected
(`MarketplaceSale.status_at`), and the venue can no longer invoice it. This only makes the stored status say so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from boxoffice.domain.marketplaces import AUTO_REJECTED, Marketplace
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database

MIN_WINDOW = timedelta(minutes=1)  # the shortest window a marketplace may have (domain/marketplaces.py)


def auto_reject(db: Database, *, now: datetime | None = None, batch: int = 500) -> int:
    """marketplaces.auto_reject: write down the automatic rejection of pending sales past their window
    (readers already see them rejected); returns how many."""
    moment = now or utcnow()
    done = 0
    with db.write() as uow:
        windows: dict[str, Marketplace | None] = {}
        for sale_id, marketplace_id in uow.marketplaces.overdue_sales(moment - MIN_WINDOW, batch):
            sale = uow.marketplaces.sale(sale_id, for_update=True)
            if marketplace_id not in windows:
                windows[marketplace_id] = uow.marketplaces.by_id(marketplace_id)
            marketplace = windows[marketplace_id]
            if sale is None or marketplace is None:
                continue
            if sale.status_at(moment, marketplace.auto_reject_after) == AUTO_REJECTED:
                uow.marketplaces.update_sale(sale_id, status=AUTO_REJECTED)
                done += 1
        uow.commit()
    return done
