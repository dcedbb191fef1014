// The metadata schema, version by version. PRAGMA user_version holds the number of the last
// migration applied; a migration is never edited once released, only followed by a new one.
//
// Version 1:
//   buckets(name PK, created_ms, location)
//   objects(bucket -> buckets, key BLOB, size, etag, last_modified_ms, content_type,
//           content_disposition, content_encoding, content_language, cache_control, expires,
//           user_metadata JSON, storage_class, checksums JSON, checksum_type, parts_count,
//           part_sizes JSON, extents JSON; PK(bucket, key)) WITHOUT ROWID
//       The key is a BLOB so that SQLite orders it with memcmp whatever the collation or text
//       encoding: UTF-8 binary order, the order S3 lists in. Every statement binds keys as BLOBs
//       (a TEXT value would sort before every BLOB). WITHOUT ROWID clusters rows by
//       (bucket, key), so a listing page is one contiguous range of the primary-key b-tree.
//       JSON formats: meta/record_json.h. Times are integer milliseconds since the Unix epoch.
//   blobs(id PK, refcount > 0)
//       One row per blob that some object or upload part uses; refcount counts the distinct
//       records (objects and parts) holding it, so BlobReferenced is one primary-key lookup.
//       The row is deleted when the count would reach 0, and the store returns the id so the
//       caller removes the file.
//   settings(name PK, value)
//   uploads(upload_id PK, bucket -> buckets, key BLOB, initiated_ms, metadata JSON,
//           checksum_algorithm, checksum_type), index (bucket, key, initiated_ms) for
//           ListMultipartUploads and DeleteBucket's emptiness check (replaced in version 2)
//       `metadata` holds what CreateMultipartUpload fixed for the object to be (HTTP metadata,
//       user metadata, storage class) as one JSON object: the upload metadata format of
//       meta/record_json.h. The columns' default '{}' reads as no metadata and STANDARD.
//   parts(upload_id -> uploads, part_number, size, etag, last_modified_ms, checksums JSON,
//         extents JSON; PK(upload_id, part_number)) WITHOUT ROWID
//       No ON DELETE CASCADE: a part holds blob references, so aborting an upload must delete its
//       parts through code that drops those references; the foreign key makes forgetting that an
//       error instead of a leak.
//
// Version 2:
//   bucket_config(bucket -> buckets, name, document; PK(bucket, name)) WITHOUT ROWID
//       Opaque per-bucket documents (lifecycle rules, CORS) by name. DeleteBucket deletes a
//       bucket's rows before the bucket (the foreign key refuses the other order).
//   index uploads_by_age(initiated_ms, upload_id) on uploads
//       For the lifecycle sweeper's ListUploadsInitiatedBefore, which scans every bucket oldest
//       first and must not read the whole table to find the few expired uploads.
//   index uploads_by_listing(bucket, key, initiated_ms, upload_id) replaces uploads_by_key
//       ListMultipartUploads orders by upload id after initiation time; with the id in the index
//       a page is read in index order with no sort step.
//
// Version 3:
//   object_data(bucket, key BLOB, data BLOB; PK(bucket, key))
//       The bytes of small objects, kept in the metadata store so that they are durable with the
//       object's row in one commit (core::ObjectRecord::inline_data). A row exists exactly when its
//       object has size > 0 and no extents. A rowid table (not WITHOUT ROWID) because its rows
//       are large, and apart from `objects` so that listings never read through object bytes.
//
// Version 4:
//   bucket_usage(bucket PK -> buckets, objects, bytes) WITHOUT ROWID
//       A bucket's object count and total size, so that reading them is one lookup in any bucket
//       size. Filled from `objects` when the migration runs, then kept by triggers on `buckets`
//       (a row per bucket, created and dropped with it) and on `objects` (insert, delete, and an
//       update of size), so that no write path can forget it. An object write must therefore be
//       an upsert, never INSERT OR REPLACE: REPLACE deletes the old row without firing delete
//       triggers. The triggers add one primary-key update to each object write.
//
// Version 5:
//   completed_uploads(upload_id PK, bucket, key BLOB, parts_digest, etag, checksums JSON,
//                     checksum_type, size, expires_ms) WITHOUT ROWID,
//   index completed_uploads_by_expiry(expires_ms, upload_id)
//       What a completed multipart upload leaves behind (core::CompletedUploadRecord), written in
//       the completion's transaction, so that a retried CompleteMultipartUpload with the same part
//       list is answered as the first one was. The lifecycle sweeper deletes the rows whose
//       expires_ms has passed, through the index. No foreign key to `buckets`: the rows hold no
//       blob reference, an empty bucket may be deleted with some of them left, and they expire
//       on their own (a retry presents a random upload id only its client knows).
#include "meta/sqlite/schema.h"

#include <iterator>
#include <string>

namespace cairn::meta::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE buckets (
  name TEXT NOT NULL PRIMARY KEY,
  created_ms INTEGER NOT NULL,
  location TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE objects (
  bucket TEXT NOT NULL REFERENCES buckets(name),
  key BLOB NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  content_type TEXT NOT NULL DEFAULT '',
  content_disposition TEXT NOT NULL DEFAULT '',
  content_encoding TEXT NOT NULL DEFAULT '',
  content_language TEXT NOT NULL DEFAULT '',
  cache_control TEXT NOT NULL DEFAULT '',
  expires TEXT NOT NULL DEFAULT '',
  user_metadata TEXT NOT NULL DEFAULT '[]',
  storage_class TEXT NOT NULL DEFAULT 'STANDARD',
  checksums TEXT NOT NULL DEFAULT '{}',
  checksum_type TEXT NOT NULL DEFAULT '',
  parts_count INTEGER NOT NULL DEFAULT 0,
  part_sizes TEXT NOT NULL DEFAULT '[]',
  extents TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

CREATE TABLE blobs (
  id TEXT NOT NULL PRIMARY KEY,
  refcount INTEGER NOT NULL CHECK (refcount > 0)
) WITHOUT ROWID;

CREATE TABLE settings (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE uploads (
  upload_id TEXT NOT NULL PRIMARY KEY,
  bucket TEXT NOT NULL REFERENCES buckets(name),
  key BLOB NOT NULL,
  initiated_ms INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  checksum_algorithm TEXT NOT NULL DEFAULT '',
  checksum_type TEXT NOT NULL DEFAULT ''
);
CREATE INDEX uploads_by_key ON uploads(bucket, key, initiated_ms);

CREATE TABLE parts (
  upload_id TEXT NOT NULL REFERENCES uploads(upload_id),
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  checksums TEXT NOT NULL DEFAULT '{}',
  extents TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
)sql"},
    {2, R"sql(
CREATE TABLE bucket_config (
  bucket TEXT NOT NULL REFERENCES buckets(name),
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (bucket, name)
) WITHOUT ROWID;

CREATE INDEX uploads_by_age ON uploads(initiated_ms, upload_id);

DROP INDEX uploads_by_key;
CREATE INDEX uploads_by_listing ON uploads(bucket, key, initiated_ms, upload_id);
)sql"},
    {3, R"sql(
CREATE TABLE object_data (
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (bucket, key)
);
)sql"},
    {4, R"sql(
CREATE TABLE bucket_usage (
  bucket TEXT NOT NULL PRIMARY KEY REFERENCES buckets(name),
  objects INTEGER NOT NULL CHECK (objects >= 0),
  bytes INTEGER NOT NULL CHECK (bytes >= 0)
) WITHOUT ROWID;

INSERT INTO bucket_usage (bucket, objects, bytes)
  SELECT b.name, count(o.key), coalesce(sum(o.size), 0)
  FROM buckets b LEFT JOIN objects o ON o.bucket = b.name GROUP BY b.name;

CREATE TRIGGER bucket_usage_on_create AFTER INSERT ON buckets BEGIN
  INSERT INTO bucket_usage (bucket, objects, bytes) VALUES (new.name, 0, 0);
END;
CREATE TRIGGER bucket_usage_on_drop BEFORE DELETE ON buckets BEGIN
  DELETE FROM bucket_usage WHERE bucket = old.name;
END;
CREATE TRIGGER bucket_usage_on_insert AFTER INSERT ON objects BEGIN
  UPDATE bucket_usage SET objects = objects + 1, bytes = bytes + new.size
  WHERE bucket = new.bucket;
END;
CREATE TRIGGER bucket_usage_on_delete AFTER DELETE ON objects BEGIN
  UPDATE bucket_usage SET objects = objects - 1, bytes = bytes - old.size
  WHERE bucket = old.bucket;
END;
CREATE TRIGGER bucket_usage_on_resize AFTER UPDATE OF size ON objects
  WHEN new.size != old.size BEGIN
  UPDATE bucket_usage SET bytes = bytes - old.size + new.size WHERE bucket = new.bucket;
END;
)sql"},
    {5, R"sql(
CREATE TABLE completed_uploads (
  upload_id TEXT NOT NULL PRIMARY KEY,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  parts_digest TEXT NOT NULL,
  etag TEXT NOT NULL,
  checksums TEXT NOT NULL DEFAULT '{}',
  checksum_type TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX completed_uploads_by_expiry ON completed_uploads(expires_ms, upload_id);
)sql"},
};

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Result<SchemaMigration> Migrate(Connection& connection) {
  Transaction txn(connection);
  // IMMEDIATE: two processes opening one fresh file must not both apply migration 1.
  if (Status s = txn.Begin(Transaction::Mode::kImmediate); !s.ok()) return s.error();
  Result<int64_t> current = connection.QueryInt("PRAGMA user_version");
  if (!current.ok()) return current.error();
  if (*current > LatestSchemaVersion()) {
    return Error(ErrorCode::kStorageUnavailable, "metadata schema version " +
                                                     std::to_string(*current) +
                                                     " is newer than this cairn understands (" +
                                                     std::to_string(LatestSchemaVersion()) + ")");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= *current) continue;
    if (Status s = connection.Exec(m.sql); !s.ok()) return s.error();
    // user_version lives in the database header, which the transaction covers: a crash leaves
    // either the old schema and number or the new ones.
    if (Status s = connection.Exec("PRAGMA user_version=" + std::to_string(m.version)); !s.ok()) {
      return s.error();
    }
  }
  if (Status s = txn.Commit(); !s.ok()) return s.error();
  return SchemaMigration{*current, LatestSchemaVersion()};
}

}  // namespace cairn::meta::sqlite
