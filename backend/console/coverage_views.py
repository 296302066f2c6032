"""Coverage: beneficiaries with an active payout link against the 30 % target,
and the cashless share per period, as charts and tables."""
from __future__ import annotations

from flask import render_template, request

from backend.console.blueprint import console
from backend.console.catalogue import LABELS
from backend.console.charts import share_chart
from backend.console.signed_in import role_required
from backend.services.payments import coverage


@console.get("/coverage")
@role_required("supervisor", "treasury", "payroll")
def coverage_page():
    linked, cashless = coverage.linked_share(), coverage.cashless_share()
    national = coverage.national_share()
    # One programme at a time (every province of it), else the chart runs to
    # hundreds of bars; the province narrows it further.
    present = {row["programme"] for row in linked}
    programmes = [code for code in LABELS["programme"] if code in present] + sorted(
        present - set(LABELS["programme"]))
    programme = request.args.get("programme", "")
    if programme not in programmes:
        programme = programmes[0] if programmes else ""
    province_code = request.args.get("province_code", "").strip()
    shown = [row for row in linked if row["programme"] == programme
             and (not province_code or row["province_code"] == province_code)]
    linked_chart = share_chart(
        [(row["province_name"], row["share"], row["meets_target"]) for row in shown],
        coverage.TARGET)
    cashless_chart = share_chart([(row["period"], row["share"], None) for row in cashless],
                                 coverage.TARGET)
    return render_template("console/coverage.html", national=national, linked=shown,
                           cashless=cashless,
                           linked_chart=linked_chart, cashless_chart=cashless_chart,
                           target=coverage.TARGET, programmes=programmes,
                           programme=programme, province_code=province_code)
