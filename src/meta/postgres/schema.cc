// The metadata schema on PostgreSQL, version by version. `cairn_schema` holds one row, the number
// of the last migration applied; a migration is never edited once released, only followed by a
// new one. The tables mirror the SQLite engine's (meta/sqlite/schema.cc says what each holds);
// what differs:
//
// Version 1:
//   Keys are bytea, which PostgreSQL orders with memcmp: UTF-8 binary order, the order S3 lists
//   in, whatever the database's collation; the text columns that are listed in order (bucket
//   names, setting names, upload ids) are COLLATE "C" for the same reason. Integers are bigint;
//   times are milliseconds since the Unix epoch. objects, uploads and bucket_config reference
//   buckets, so a write into a bucket that DeleteBucket is removing either commits first (and
//   DeleteBucket sees it) or fails on the key.
//   blobs.refcount may be 0 for the moment between the decrement and the delete of its row
//   (queries.cc), which one transaction does under the row's lock.
//   bucket_usage(bucket, shard, objects, bytes):
//       Usage counters kept by a trigger on `objects`, as deltas: each connection adds to the row
//       of its own shard (its backend pid modulo 16), and GetBucketUsage sums a bucket's rows. One
//       row per bucket would make every object write of every gateway wait for the previous one's
//       commit on that row; with shards, writers contend only when two sessions share a shard.
//       A shard's counts may go negative (a delete on another shard than the put); the sum is
//       exact. The rows go with their bucket (ON DELETE CASCADE), as do bucket_config's.
//
// Version 2:
//   completed_uploads, as SQLite's version 5: what a completed multipart upload leaves behind
//   so that a retried CompleteMultipartUpload is answered as the first one was.
#include "meta/postgres/schema.h"

#include <iterator>
#include <string>

namespace cairn::meta::postgres {
namespace {

struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE buckets (
  name text COLLATE "C" NOT NULL PRIMARY KEY,
  created_ms bigint NOT NULL,
  location text NOT NULL
);

CREATE TABLE objects (
  bucket text NOT NULL REFERENCES buckets(name),
  key bytea NOT NULL,
  size bigint NOT NULL,
  etag text NOT NULL,
  last_modified_ms bigint NOT NULL,
  content_type text NOT NULL DEFAULT '',
  content_disposition text NOT NULL DEFAULT '',
  content_encoding text NOT NULL DEFAULT '',
  content_language text NOT NULL DEFAULT '',
  cache_control text NOT NULL DEFAULT '',
  expires text NOT NULL DEFAULT '',
  user_metadata text NOT NULL DEFAULT '[]',
  storage_class text NOT NULL DEFAULT 'STANDARD',
  checksums text NOT NULL DEFAULT '{}',
  checksum_type text NOT NULL DEFAULT '',
  parts_count bigint NOT NULL DEFAULT 0,
  part_sizes text NOT NULL DEFAULT '[]',
  extents text NOT NULL DEFAULT '[]',
  PRIMARY KEY (bucket, key)
);

CREATE TABLE object_data (
  bucket text NOT NULL,
  key bytea NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (bucket, key)
);

CREATE TABLE blobs (
  id text NOT NULL PRIMARY KEY,
  refcount bigint NOT NULL CHECK (refcount >= 0)
);

CREATE TABLE settings (
  name text COLLATE "C" NOT NULL PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE uploads (
  upload_id text COLLATE "C" NOT NULL PRIMARY KEY,
  bucket text NOT NULL REFERENCES buckets(name),
  key bytea NOT NULL,
  initiated_ms bigint NOT NULL,
  metadata text NOT NULL DEFAULT '{}',
  checksum_algorithm text NOT NULL DEFAULT '',
  checksum_type text NOT NULL DEFAULT ''
);
CREATE INDEX uploads_by_listing ON uploads(bucket, key, initiated_ms, upload_id);
CREATE INDEX uploads_by_age ON uploads(initiated_ms, upload_id);

CREATE TABLE parts (
  upload_id text NOT NULL REFERENCES uploads(upload_id),
  part_number bigint NOT NULL,
  size bigint NOT NULL,
  etag text NOT NULL,
  last_modified_ms bigint NOT NULL,
  checksums text NOT NULL DEFAULT '{}',
  extents text NOT NULL DEFAULT '[]',
  PRIMARY KEY (upload_id, part_number)
);

CREATE TABLE bucket_config (
  bucket text NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
  name text NOT NULL,
  document text NOT NULL,
  PRIMARY KEY (bucket, name)
);

CREATE TABLE bucket_usage (
  bucket text NOT NULL REFERENCES buckets(name) ON DELETE CASCADE,
  shard integer NOT NULL,
  objects bigint NOT NULL,
  bytes bigint NOT NULL,
  PRIMARY KEY (bucket, shard)
);

CREATE FUNCTION cairn_count_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b text;
  d_objects bigint;
  d_bytes bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    b := NEW.bucket; d_objects := 1; d_bytes := NEW.size;
  ELSIF TG_OP = 'DELETE' THEN
    b := OLD.bucket; d_objects := -1; d_bytes := -OLD.size;
  ELSE
    IF NEW.size = OLD.size THEN RETURN NULL; END IF;
    b := NEW.bucket; d_objects := 0; d_bytes := NEW.size - OLD.size;
  END IF;
  INSERT INTO bucket_usage (bucket, shard, objects, bytes)
    VALUES (b, pg_backend_pid() % 16, d_objects, d_bytes)
    ON CONFLICT (bucket, shard) DO UPDATE
    SET objects = bucket_usage.objects + excluded.objects,
        bytes = bucket_usage.bytes + excluded.bytes;
  RETURN NULL;
END $$;

CREATE TRIGGER count_usage AFTER INSERT OR DELETE OR UPDATE OF size ON objects
  FOR EACH ROW EXECUTE FUNCTION cairn_count_usage();
)sql"},
    {2, R"sql(
CREATE TABLE completed_uploads (
  upload_id text COLLATE "C" NOT NULL PRIMARY KEY,
  bucket text NOT NULL,
  key bytea NOT NULL,
  parts_digest text NOT NULL,
  etag text NOT NULL,
  checksums text NOT NULL DEFAULT '{}',
  checksum_type text NOT NULL DEFAULT '',
  size bigint NOT NULL,
  expires_ms bigint NOT NULL
);
CREATE INDEX completed_uploads_by_expiry ON completed_uploads(expires_ms, upload_id);
)sql"},
};

// Any fixed number: the advisory lock that serializes migrations between gateways.
constexpr int64_t kMigrationLock = 0x636169726e;  // "cairn"

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Result<SchemaMigration> Migrate(Connection& c) {
  if (Status s = c.ExecScript("BEGIN"); !s.ok()) return s.error();
  int64_t found = 0;
  Status out = [&]() -> Status {
    if (Result<Rows> r = c.Exec("SELECT pg_advisory_xact_lock($1)", Params().Int(kMigrationLock));
        !r.ok()) {
      return r.status();
    }
    if (Status s = c.ExecScript(
            "CREATE TABLE IF NOT EXISTS cairn_schema (version bigint NOT NULL);"
            "INSERT INTO cairn_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM cairn_schema)");
        !s.ok()) {
      return s;
    }
    Result<Rows> current = c.Exec("SELECT version FROM cairn_schema");
    if (!current.ok()) return current.status();
    const int64_t version = current->Int(0, 0);
    found = version;
    if (version > LatestSchemaVersion()) {
      return Status(ErrorCode::kStorageUnavailable,
                    "metadata schema version " + std::to_string(version) +
                        " is newer than this cairn understands (" +
                        std::to_string(LatestSchemaVersion()) + ")");
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= version) continue;
      if (Status s = c.ExecScript(m.sql); !s.ok()) return s;
      if (Result<Rows> r = c.Exec("UPDATE cairn_schema SET version = $1", Params().Int(m.version));
          !r.ok()) {
        return r.status();
      }
    }
    return Status::Ok();
  }();
  // DDL is transactional in PostgreSQL: a failed step leaves the previous schema and number.
  Status end = c.ExecScript(out.ok() ? "COMMIT" : "ROLLBACK");
  if (!out.ok()) return out.error();
  if (!end.ok()) return end.error();
  return SchemaMigration{found, LatestSchemaVersion()};
}

}  // namespace cairn::meta::postgres
