"""Set-based inserts of many rows, inside the caller's transaction, without model instances.

`insert_rows` is how a run writes its charge lines and how issuing writes the lines of the
titres: ``COPY … FROM STDIN`` through psycopg on PostgreSQL, a plain ``INSERT`` run by
``executemany`` in batches elsewhere (SQLite). No ``save()``, no signals, no primary keys
returned: only for rows whose model has no behaviour on save worth keeping.
"""

from collections.abc import Iterable, Sequence
from itertools import islice

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
