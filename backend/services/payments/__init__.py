"""Money out: payroll, requests, Treasury control, dispatch, results, reconciliation."""
