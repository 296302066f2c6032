"""Alembic owns the schema: upgrading an empty database gives exactly the models."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import backend.models  # noqa: F401
from backend import schema
from backend.db import Base, make_engine
from backend.models.references import compared_on
from tests.databases import throwaway_database


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": compared_on(connection.dialect.name)})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_upgrade_head_matches_the_models(tmp_path):
    with throwaway_database(tmp_path, "migrations") as url:
        schema.upgrade(url)
        assert _differences(url) == []


def test_downgrade_to_base_and_up_again(tmp_path):
    with throwaway_database(tmp_path, "roundtrip") as url:
        schema.upgrade(url)
        command.downgrade(schema.alembic_config(url), "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        schema.upgrade(url)
        assert _differences(url) == []


def test_upgrade_adds_the_status_checks_to_tables_that_hold_rows(tmp_path):
    """On SQLite a CHECK is added by copying the table; the rows pointing at the
    copied payout link must survive, and requests made before get an updated_at."""
    with throwaway_database(tmp_path, "with_rows") as url:
        schema.upgrade(url, "9c4c33b43950")  # the revision before the status checks
        engine = make_engine(url)
        with engine.begin() as connection:
            for statement in (
                "INSERT INTO social_security_accounts (id, personal_id, status, created_at) "
                "VALUES (1, '001090000001', 'ACTIVE', '2026-11-01 08:00:00')",
                "INSERT INTO payout_links (id, account_id, kind, status, created_at, updated_at) "
                "VALUES (1, 1, 'bank', 'ACTIVE', '2026-11-01 08:00:00', '2026-11-01 08:00:00')",
                "INSERT INTO consents (account_id, link_id, purpose, text_version, given_at) "
                "VALUES (1, 1, 'payout_link', 'v1', '2026-11-01 08:00:00')",
                "INSERT INTO payment_requests (id, programme, period, province_code, count, "
                "total_vnd, checksum, status, findings, created_at) VALUES (1, 'pension', "
                "'2026-10', '001', 0, 0, '', 'SUBMITTED', '{}', '2026-11-02 08:00:00')",
            ):
                connection.execute(text(statement))
        schema.upgrade(url)
        with engine.connect() as connection:
            assert connection.execute(text(
                "SELECT l.status, c.purpose FROM payout_links l "
                "JOIN consents c ON c.link_id = l.id")).all() == [("ACTIVE", "payout_link")]
            assert connection.scalar(text(
                "SELECT updated_at = created_at FROM payment_requests")) in (1, True)
        engine.dispose()


def test_no_index_on_payments_names_the_status_or_the_request(tmp_path):
    """A status move, and putting payments into their request, must be able to
    stay on the row's page (a HOT update on PostgreSQL): no index of
    `payments` may name `status` or `request_id`, even in its predicate, and
    on PostgreSQL each page keeps room for the moved row."""
    with throwaway_database(tmp_path, "hot_moves") as url:
        schema.upgrade(url)
        engine = make_engine(url)
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                definitions = connection.scalars(text(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'payments'")).all()
                options = connection.scalar(text(
                    "SELECT reloptions FROM pg_class WHERE relname = 'payments'"))
                assert any(option.startswith("fillfactor=") and int(option[11:]) < 100
                           for option in options or [])
            else:
                definitions = connection.scalars(text(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'payments' AND sql IS NOT NULL")).all()
        engine.dispose()
        assert len(definitions) >= 5
        assert [each for each in definitions if "status" in each or "request_id" in each] == []


def test_requests_with_cash_waiting_get_its_deadline_from_their_payments(tmp_path):
    """The hourly expiry reads only requests with a cash deadline: a request
    approved before the column existed must not be forgotten by it."""
    with throwaway_database(tmp_path, "cash_deadline") as url:
        schema.upgrade(url, "a3c9e1f7b2d8")  # the revision before requests kept the deadline
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO payrolls (id, file_sha256, filename, imported_by, imported_at, "
                "row_count, new_payments, total_vnd) VALUES (1, 'x', 'p.csv', 'test', "
                "'2026-11-01 08:00:00', 2, 2, 2000000)"))
            for request_id, status in ((1, "APPROVED"), (2, "APPROVED")):
                connection.execute(text(
                    "INSERT INTO payment_requests (id, programme, period, province_code, count, "
                    "total_vnd, checksum, status, findings, created_at, updated_at) VALUES "
                    f"({request_id}, 'pension', '2026-10', '00{request_id}', 1, 1000000, '', "
                    f"'{status}', '{{}}', '2026-11-02 08:00:00', '2026-11-02 08:00:00')"))
            # Request 1's cash waits until 1 December; request 2's was collected.
            for payment_id, status, deadline in ((1, "CASH_READY", "'2026-12-01'"),
                                                 (2, "PAID", "'2026-12-01'")):
                connection.execute(text(
                    "INSERT INTO payments (id, payroll_id, personal_id, programme, period, "
                    "province_code, amount_vnd, status, request_id, destination_kind, "
                    "cash_deadline, created_at, updated_at) VALUES "
                    f"({payment_id}, 1, '00109000000{payment_id}', 'pension', '2026-10', "
                    f"'00{payment_id}', 1000000, '{status}', {payment_id}, 'cash', {deadline}, "
                    "'2026-11-02 08:00:00', '2026-11-02 08:00:00')"))
        schema.upgrade(url)
        with engine.connect() as connection:
            deadlines = dict(connection.execute(text(
                "SELECT id, cash_deadline FROM payment_requests ORDER BY id")).all())
        engine.dispose()
        assert {key: str(value) if value else None for key, value in deadlines.items()} == {
            1: "2026-12-01", 2: None}


def test_a_downgrade_keeps_each_payments_moves_as_transitions_in_order(tmp_path):
    """Before payment_moves, a payment's history was its transitions by id: going
    back, each recorded move becomes a transition of each payment it moved, in
    its place among the payment's own transitions."""
    with throwaway_database(tmp_path, "moves_down") as url:
        engine = make_engine(url)
        if engine.dialect.name != "postgresql":
            engine.dispose()
            pytest.skip("SQLite records every move per payment: nothing to bring back")
        schema.upgrade(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO payrolls (id, file_sha256, filename, imported_by, imported_at, "
                "row_count, new_payments, total_vnd) VALUES (1, 'x', 'p.csv', 'test', "
                "'2026-11-01 08:00:00', 2, 2, 2000000)"))
            step = "nextval('payment_transitions_id_seq')"
            planned, requested, approved = (connection.scalar(text(f"SELECT {step}"))
                                            for _ in range(3))
            for move_id, from_status, to_status in ((planned, "NULL", "'PLANNED'"),
                                                    (requested, "'PLANNED'", "'REQUESTED'")):
                connection.execute(text(
                    "INSERT INTO payment_moves (id, from_status, to_status, at, actor) VALUES "
                    f"({move_id}, {from_status}, {to_status}, '2026-11-01 08:00:00', "
                    "'staff:payroll1')"))
            # Payment 1: planned and requested with the payroll, approved on its own.
            connection.execute(text(
                "INSERT INTO payments (id, payroll_id, personal_id, programme, period, "
                "province_code, amount_vnd, status, moves, created_at, updated_at) VALUES "
                "(1, 1, '001090000001', 'pension', '2026-10', '001', 1000000, 'APPROVED', "
                f"ARRAY[{planned}, {requested}], '2026-11-01 08:00:00', '2026-11-01 08:00:00')"))
            connection.execute(text(
                "INSERT INTO payment_transitions (id, payment_id, from_status, to_status, at, "
                f"actor) VALUES ({approved}, 1, 'REQUESTED', 'APPROVED', "
                "'2026-11-01 08:00:00', 'treasury1')"))
        command.downgrade(schema.alembic_config(url), "c8e4a2d6f0b1")
        with engine.connect() as connection:
            history = connection.execute(text(
                "SELECT from_status, to_status, actor FROM payment_transitions "
                "WHERE payment_id = 1 ORDER BY id")).all()
        engine.dispose()
        assert history == [(None, "PLANNED", "staff:payroll1"),
                           ("PLANNED", "REQUESTED", "staff:payroll1"),
                           ("REQUESTED", "APPROVED", "treasury1")]
