"""Set-based inserts of many rows, inside the caller's transaction, without model instances.

`insert_rows` is how a run writes its charge lines and how issuing writes the lines of the
titres: ``COPY … FROM STDIN`` through psycopg on PostgreSQL (`insert_frame`: a polars frame
sent as CSV), a plain ``INSERT`` run by
``executemany`` in batches elsewhere (SQLite). No ``save()``, no signals, no primary keys
returned: only for rows whose model has no behaviour on save worth keeping.
"""

from collections.abc import Iterable, Sequence
from itertools import islice

import polars as pl
from django.db import router, transaction
from django.db.models import Model

BATCH_SIZE = 5000


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Inserts `rows` (one value per name of `fields`, foreign keys as ids) into the table of
    `model`; returns the number of rows. Call inside a transaction."""
    using = router.db_for_write(model)
    connection = transaction.get_connection(using)
    assert connection.in_atomic_block, "set-based inserts belong to a transaction"
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted names)
            iterator = iter(rows)
            while batch := list(islice(iterator, BATCH_SIZE)):
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def insert_frame(model: type[Model], frame: pl.DataFrame) -> int:
    """Inserts the rows of `frame` (columns named after fields of `model`, foreign keys as
    ids) into the table of `model`; returns the number of rows. Call inside a transaction.

    On PostgreSQL the frame is written as CSV by polars and sent in one ``COPY`` (no Python
    object per row nor per value); elsewhere its rows go through :func:`insert_rows`."""
    using = router.db_for_write(model)
    connection = transaction.get_connection(using)
    if connection.vendor != "postgresql":
        return insert_rows(model, frame.columns, frame.iter_rows())
    assert connection.in_atomic_block, "set-based inserts belong to a transaction"
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in frame.columns)
    # Every text is quoted, so that an unquoted \N is null and "" an empty text.
    data = frame.write_csv(include_header=False, null_value="\\N", quote_style="non_numeric")
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(data.encode())
    return frame.height
