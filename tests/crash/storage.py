"""Where the crash harness's server keeps what it stores, and how the verification looks into it:
the blob files and temporaries (cairn_cluster.FileBlobs, RadosBlobs) and, from the metadata, which
records hold which blob (blob id -> number of object and part records whose extents name it) next
to the blobs table's refcounts.

  LocalStorage   cairn's default: SQLite and blob files in the data dir.
  SharedStorage  a gateway as it runs in a cluster: a PostgreSQL database of its own (pg_service)
                 and the blob store of cairn_cluster.blob_url() (a RADOS pool of its own,
                 CAIRN_TEST_BLOB_URL, or a file:// directory); the kill hits the gateway, never
                 PostgreSQL or Ceph.
"""
import json
import os
import sqlite3

import cairn_cluster
import cairn_server
import pg_service

RECORDS_WITH_EXTENTS = ("objects", "parts")


def count_references(extents_rows, refcount_rows):
    referenced = {}
    for (extents,) in extents_rows:
        for blob_id in {e[0] for e in json.loads(extents or "[]")}:
            referenced[blob_id] = referenced.get(blob_id, 0) + 1
    return referenced, {blob_id: int(n) for blob_id, n in refcount_rows}


def set_aside(path):
    """Moves a failed round's directory out of the way of the clean-up at exit; its new path."""
    kept = path + "-kept"
    os.rename(path, kept)
    return kept


class LocalStorage:
    name = "sqlite"
    swept_at_start = True  # the start-up sweep removes every orphan and temporary at once

    def __init__(self, binary):
        self.server = cairn_server.CairnServer(binary=binary, name="crash")

    def blobs(self):
        return cairn_cluster.FileBlobs(self.server.data_dir)

    def references(self):
        path = os.path.join(self.server.data_dir, "meta.sqlite3")
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
        try:
            extents = [row for table in RECORDS_WITH_EXTENTS
                       for row in db.execute("SELECT extents FROM %s" % table)]
            return count_references(extents, db.execute("SELECT id, refcount FROM blobs"))
        finally:
            db.close()

    def close(self, keep):
        """Stops the server; with `keep`, moves its data dir and logs out of the clean-up's way
        and returns where."""
        if not keep:
            self.server.cleanup()
            return None
        self.server.stop()
        return set_aside(self.server.workdir)


class SharedStorage:
    name = "postgres"
    swept_at_start = False  # only what is older than the shared-store grace (docs/scale-out.md)

    def __init__(self, binary):
        self.cluster = cairn_cluster.Cluster(1, name="crash", binary=binary)
        self.server = self.cluster.gateways[0]
        self.database = pg_service.database_of(self.cluster.meta_uri)

    def blobs(self):
        return cairn_cluster.blobs_of(self.cluster.blob_url)

    def references(self):
        pg = pg_service.shared()
        extents = [row for table in RECORDS_WITH_EXTENTS
                   for row in pg.query("SELECT extents FROM %s" % table, self.database)]
        return count_references(extents, pg.query("SELECT id, refcount FROM blobs",
                                                  self.database))

    def close(self, keep):
        """As LocalStorage.close; the database is kept as a pg_dump beside the data dir."""
        if not keep:
            self.cluster.cleanup()
            return None
        self.server.stop()
        kept = set_aside(self.cluster.workdir)
        os.rename(self.server.workdir, os.path.join(kept, "gateway"))
        pg_service.shared().dump(self.database, os.path.join(kept, "meta.sql"))
        self.cluster.cleanup()
        return kept


ENGINES = {s.name: s for s in (LocalStorage, SharedStorage)}
