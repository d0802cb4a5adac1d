"""SQLite settings of the site's connections."""

from datasette import hookimpl

# 64 MiB of page cache per connection (SQLite's default is 2 MiB): at a million
# statements the timeline's lookups then stay in memory instead of re-reading the file.
CACHE_SIZE_KIB = 64 * 1024


@hookimpl
def prepare_connection(conn):
    conn.execute(f"pragma cache_size = -{CACHE_SIZE_KIB}")
