"""SQLite through aiosqlite, with one thread hand-off per statement where SQLAlchemy's adapter
makes four.

aiosqlite runs every sqlite3 call on the connection's own thread. A hand-off (queue the call,
wake the thread, call back into the event loop) costs ~70 µs of CPU on the benchmark's machine,
while a statement of ours takes ~5 µs in SQLite itself. SQLAlchemy's adapter hands off four times
per statement (cursor, execute, fetchall, close), once to commit and once more to roll back the
connection it takes back into the pool: six for a one-statement read. Here a statement is one
call in the thread, which also reports whether SQLite has a transaction open (its autocommit
flag); a commit or rollback with none open (after reads only — pysqlite begins one only before
a write — or after a commit) is skipped. A one-statement read is one hand-off, a write two.
Everything else is SQLAlchemy's adapter unchanged.

It reaches into aiosqlite's ``Connection._execute`` and ``_conn`` (stable since 0.17; the range
in pyproject.toml is pinned below 1). ``make_engine`` uses it for every SQLite URL.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
)

Ran = tuple[Any, list[Any] | None, int, int, bool]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any) -> Ran:
    """In the connection's thread: the whole statement, and whether a transaction is open."""
    cursor = conn.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        lastrowid = cursor.lastrowid if cursor.lastrowid is not None else -1
        return description, rows, lastrowid, cursor.rowcount, conn.in_transaction
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        connection: Any = self._connection
        try:
            call = connection._execute(_run, connection._conn, operation, parameters)
            ran: Ran = self.await_(call)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        description, rows, lastrowid, rowcount, in_transaction = ran
        adapted: Any = self._adapt_connection
        adapted.in_transaction = in_transaction
        self.description = description
        if description:
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows or ())
        else:
            self.lastrowid, self.rowcount = lastrowid, rowcount

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        super().executemany(operation, seq_of_parameters)
        adapted: Any = self._adapt_connection
        adapted.in_transaction = True  # a write: the commit must not be skipped


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("in_transaction",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.in_transaction = True  # unknown until the first statement: assume one is open

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return AsyncAdapt_aiosqlite_ss_cursor(self) if server_side else _Cursor(self)

    def commit(self) -> None:
        if self.in_transaction:
            super().commit()
            self.in_transaction = False

    def rollback(self) -> None:
        if self.in_transaction:
            super().rollback()
            self.in_transaction = False


class Dbapi(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI shim, handing out the connection above."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return _Connection(self, adapted._connection)
