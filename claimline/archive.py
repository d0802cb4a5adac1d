"""The archived copy of a document: its capture, read back from the crawler's WARC files.

Documents (and each of their versions) name the capture of their text with
`warc_file` and `warc_record_id` (docs/schema.md). `warc_file` is relative to the
archive folder, `archive/` next to the database; an imported archive keeps its own
path, and a WARC inside a WACZ is written `…/file.wacz#archive/data.warc.gz`.
"""

import zipfile
from contextlib import contextmanager
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

WARC_COLUMNS = ("warc_file", "warc_record_id")


class CaptureNotFound(Exception):
    pass


def archive_folder(db_path):
    return Path(db_path).resolve().parent / "archive"


@contextmanager
def open_warc(db_path, warc_file):
    path, _, member = warc_file.partition("#")
    folder = archive_folder(db_path)
    full = (folder / path).resolve()
    if not Path(path).is_absolute() and not full.is_relative_to(folder):
        raise CaptureNotFound(f"{warc_file}: outside the archive folder")
    if not full.is_file():
        raise CaptureNotFound(f"{warc_file}: no such archive file")
    if member:
        with zipfile.ZipFile(full) as wacz, wacz.open(member) as stream:
            yield stream
    else:
        with open(full, "rb") as stream:
            yield stream


def read_capture(db_path, warc_file, record_id):
    """(content type, body) of the response record `record_id`.

    A linear scan: files hold a month of captures, and the site reads one only when
    someone asks for an archived copy.
    """
    with open_warc(db_path, warc_file) as stream:
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
                return content_type or "application/octet-stream", record.content_stream().read()
    raise CaptureNotFound(f"{warc_file}: no record {record_id}")
