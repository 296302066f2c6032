"""Payments for the app's tests, made the way the service makes them: through the staff API."""
from __future__ import annotations

from tests.payment_helpers import approve_and_dispatch, build_requests, claim, payroll_csv, upload


def pay(app, client, staff_login, person: dict, months: list[tuple[str, str, int]],
        deliver: bool = True) -> None:
    """Import, request, approve and send `months` of (period, programme, amount) for `person`.

    With `deliver`, the simulated bank answers at once (bank payments become
    PAID or FAILED); without it, bank payments stay SENT.
    """
    officer = staff_login("payroll1")
    imported = upload(client, officer, payroll_csv([
        claim(person, period, amount, programme) for period, programme, amount in months]),
        name=f"payroll-{len(months)}-{months[0][0]}.csv")
    assert imported.status_code == 201, imported.json
    treasurer = staff_login("treasury1")
    for period in sorted({period for period, _programme, _amount in months}):
        requests = build_requests(client, officer, period)
        approve_and_dispatch(app, client, treasurer, [request["id"] for request in requests],
                             deliver=deliver)
