"""The phones whose app receives a citizen's notifications as pushes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend import db
from backend.models import EidAccount, PushDevice


def register(citizen: EidAccount, token: str, platform: str, now: datetime) -> PushDevice:
    """The signed-in citizen's app receives pushes at `token` from now on. A
    token registered before by another citizen (a phone handed on) moves."""
    insert = postgresql_insert if db.on_postgresql() else sqlite_insert
    statement = insert(PushDevice).values(token=token, citizen_id=citizen.id,
                                          platform=platform, registered_at=now)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["token"], set_={"citizen_id": citizen.id, "platform": platform,
                                        "registered_at": now}))
    db.session.commit()
    return db.get_existing(PushDevice, token)


def forget_all(citizen_id: int) -> None:
    """No device of this citizen gets pushes any more (whoever took over the
    account may have registered theirs); the app registers again at sign-in."""
    db.session.execute(delete(PushDevice).where(PushDevice.citizen_id == citizen_id)
                       .execution_options(synchronize_session=False))
