// PostgresMetaStore's multipart uploads. Every write to an upload takes the lock of its key
// (queries.h) first, the same lock as a PUT of that key: a part upload, a Complete and an Abort
// of one upload run one after the other across gateways, and parts hold blob references exactly
// like objects, so a Complete turns parts into an object without copying bytes.
#include <utility>

#include "meta/postgres/postgres_meta_store.h"
#include "meta/postgres/queries.h"
#include "meta/postgres/rows.h"
#include "meta/postgres/scanners.h"
#include "meta/postgres/transaction.h"
#include "meta/record_json.h"
#include "meta/upload_walk.h"

namespace cairn::meta {
namespace {

using postgres::Connection;
using postgres::InTransaction;
using postgres::Params;
using postgres::Rows;
using postgres::TxnKind;
using Freed = std::vector<std::string>;

// The upload `upload_id` when it belongs to bucket/key, nullopt otherwise: an id presented with
// another bucket or key is treated as unknown, so an id alone never reaches someone's upload.
Result<std::optional<core::UploadRecord>> FindUpload(Connection& c, const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id) {
  static const std::string sql = "SELECT " + std::string(kUploadColumns) +
                                 " FROM uploads WHERE upload_id = $1 AND bucket = $2 AND key = $3";
  Result<Rows> rows = c.Exec(sql, Params().Text(upload_id).Text(bucket).Bytes(key));
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<core::UploadRecord>();
  Result<core::UploadRecord> upload = postgres::ReadUploadRow(*rows, 0);
  if (!upload.ok()) return upload.error();
  return std::optional<core::UploadRecord>(std::move(*upload));
}

// The record a completion of upload `upload_id` of bucket/key left (completed_uploads keeps it
// until the lifecycle sweeper forgets it), nullopt when there is none.
Result<std::optional<core::CompletedUploadRecord>> FindCompletion(Connection& c,
                                                                  const std::string& bucket,
                                                                  const std::string& key,
                                                                  const std::string& upload_id) {
  static const std::string sql =
      "SELECT " + std::string(kCompletedUploadColumns) +
      " FROM completed_uploads WHERE upload_id = $1 AND bucket = $2 AND key = $3";
  Result<Rows> rows = c.Exec(sql, Params().Text(upload_id).Text(bucket).Bytes(key));
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<core::CompletedUploadRecord>();
  Result<core::CompletedUploadRecord> record = postgres::ReadCompletedUploadRow(*rows, 0);
  if (!record.ok()) return record.error();
  return std::optional<core::CompletedUploadRecord>(std::move(*record));
}

// FindUpload for callers that need the upload to exist.
Result<core::UploadRecord> RequireUpload(Connection& c, const std::string& bucket,
                                         const std::string& key, const std::string& upload_id) {
  Result<std::optional<core::UploadRecord>> found = FindUpload(c, bucket, key, upload_id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return Error(ErrorCode::kNoSuchUpload);
  return std::move(**found);
}

// Every part of an upload with its extents, by part number.
Result<std::vector<core::PartRecord>> LoadParts(Connection& c, const std::string& upload_id) {
  static const std::string sql = "SELECT " + std::string(kPartColumnsWithExtents) +
                                 " FROM parts WHERE upload_id = $1 ORDER BY part_number";
  Result<Rows> rows = c.Exec(sql, Params().Text(upload_id));
  if (!rows.ok()) return rows.error();
  std::vector<core::PartRecord> parts;
  for (int i = 0; i < rows->size(); ++i) {
    Result<core::PartRecord> part = postgres::ReadPartRow(*rows, i, /*with_extents=*/true);
    if (!part.ok()) return part.error();
    parts.push_back(std::move(*part));
  }
  return parts;
}

// Deletes an upload's rows, parts first (their foreign key names the upload). The caller drops
// the parts' blob references in the same transaction.
Status DeleteUploadRows(Connection& c, const std::string& upload_id) {
  for (std::string_view sql :
       {"DELETE FROM parts WHERE upload_id = $1", "DELETE FROM uploads WHERE upload_id = $1"}) {
    if (Result<Rows> done = c.Exec(sql, Params().Text(upload_id)); !done.ok()) return done.status();
  }
  return Status::Ok();
}

// The initiation time of upload `upload_id` when it is an upload of bucket/key.
Result<std::optional<TimePoint>> MarkerInitiated(Connection& c, const std::string& bucket,
                                                 const std::string& key,
                                                 const std::string& upload_id) {
  Result<Rows> rows =
      c.Exec("SELECT initiated_ms FROM uploads WHERE upload_id = $1 AND bucket = $2 AND key = $3",
             Params().Text(upload_id).Text(bucket).Bytes(key));
  if (!rows.ok()) return rows.error();
  if (rows->size() == 0) return std::optional<TimePoint>();
  return std::optional<TimePoint>(postgres::FromMillis(rows->Int(0, 0)));
}

}  // namespace

Status PostgresMetaStore::CreateUpload(const core::UploadRecord& upload) {
  return postgres::RunTransaction(*pool_, TxnKind::kWrite, [&](Connection& c) -> Status {
    if (Status s = postgres::BucketExists(c, upload.bucket); !s.ok()) return s;
    if (Status s = postgres::WriteUploadRow(c, upload); !s.ok()) {
      return postgres::MissingBucketOr(s.error(), c);
    }
    return Status::Ok();
  });
}

Result<core::UploadRecord> PostgresMetaStore::GetUpload(const std::string& bucket,
                                                        const std::string& key,
                                                        const std::string& upload_id) {
  return InTransaction<core::UploadRecord>(*pool_, TxnKind::kNone, [&](Connection& c) {
    return RequireUpload(c, bucket, key, upload_id);
  });
}

Result<std::vector<std::string>> PostgresMetaStore::PutPart(const std::string& bucket,
                                                            const std::string& key,
                                                            const std::string& upload_id,
                                                            const core::PartRecord& part) {
  return InTransaction<Freed>(*pool_, TxnKind::kWrite, [&](Connection& c) -> Result<Freed> {
    if (Status s = postgres::LockKey(c, bucket, key); !s.ok()) return s.error();
    if (Result<core::UploadRecord> u = RequireUpload(c, bucket, key, upload_id); !u.ok()) {
      return u.error();
    }
    BlobDeltas deltas;
    Result<Rows> old = c.Exec("SELECT extents FROM parts WHERE upload_id = $1 AND part_number = $2",
                              Params().Text(upload_id).Int(part.part_number));
    if (!old.ok()) return old.error();
    if (old->size() > 0) {
      Result<std::vector<core::Extent>> extents = DecodeExtents(old->Bytes(0, 0));
      if (!extents.ok()) return extents.error();
      DropReferences(*extents, &deltas);
    }
    if (Status s = postgres::WritePartRow(c, upload_id, part); !s.ok()) return s.error();
    AddReferences(part.extents, &deltas);
    return postgres::ApplyBlobDeltas(c, deltas);
  });
}

Result<core::PartsPage> PostgresMetaStore::ListParts(const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id,
                                                     uint32_t part_number_marker,
                                                     uint32_t max_parts) {
  return InTransaction<core::PartsPage>(
      *pool_, TxnKind::kSnapshot, [&](Connection& c) -> Result<core::PartsPage> {
        if (Result<core::UploadRecord> u = RequireUpload(c, bucket, key, upload_id); !u.ok()) {
          return u.error();
        }
        core::PartsPage page;
        if (max_parts == 0) return page;
        static const std::string sql = "SELECT " + std::string(kPartColumns) +
                                       " FROM parts WHERE upload_id = $1 AND part_number > $2 "
                                       "ORDER BY part_number LIMIT $3";
        // One row more than the page holds tells whether it is truncated.
        Result<Rows> rows = c.Exec(
            sql, Params().Text(upload_id).Int(part_number_marker).Int(int64_t{max_parts} + 1));
        if (!rows.ok()) return rows.error();
        for (int i = 0; i < rows->size(); ++i) {
          if (page.parts.size() == max_parts) {
            page.truncated = true;
            break;
          }
          Result<core::PartRecord> part = postgres::ReadPartRow(*rows, i, /*with_extents=*/false);
          if (!part.ok()) return part.error();
          page.next_part_number_marker = part->part_number;
          page.parts.push_back(std::move(*part));
        }
        return page;
      });
}

Result<core::UploadsPage> PostgresMetaStore::ListUploads(const std::string& bucket,
                                                         const core::UploadsQuery& query) {
  return InTransaction<core::UploadsPage>(
      *pool_, TxnKind::kSnapshot, [&](Connection& c) -> Result<core::UploadsPage> {
        if (Status s = postgres::BucketExists(c, bucket); !s.ok()) return s.error();
        std::optional<TimePoint> marker_initiated;
        if (!query.key_marker.empty() && !query.upload_id_marker.empty()) {
          Result<std::optional<TimePoint>> found =
              MarkerInitiated(c, bucket, query.key_marker, query.upload_id_marker);
          if (!found.ok()) return found.error();
          marker_initiated = *found;
        }
        std::unique_ptr<UploadScanner> scanner = postgres::MakeUploadScanner(c, bucket);
        return WalkUploads(query, marker_initiated, *scanner);
      });
}

Result<std::vector<std::string>> PostgresMetaStore::AbortUpload(const std::string& bucket,
                                                                const std::string& key,
                                                                const std::string& upload_id) {
  return InTransaction<Freed>(*pool_, TxnKind::kWrite, [&](Connection& c) -> Result<Freed> {
    if (Status s = postgres::LockKey(c, bucket, key); !s.ok()) return s.error();
    Result<std::optional<core::UploadRecord>> upload = FindUpload(c, bucket, key, upload_id);
    if (!upload.ok()) return upload.error();
    if (!upload->has_value()) {
      Result<std::optional<core::CompletedUploadRecord>> completion =
          FindCompletion(c, bucket, key, upload_id);
      if (!completion.ok()) return completion.error();
      if (!completion->has_value()) return Error(ErrorCode::kNoSuchUpload);
      return Freed();  // completed: nothing left to abort
    }
    Result<std::vector<core::PartRecord>> parts = LoadParts(c, upload_id);
    if (!parts.ok()) return parts.error();
    BlobDeltas deltas;
    for (const core::PartRecord& part : *parts) DropReferences(part.extents, &deltas);
    if (Status s = DeleteUploadRows(c, upload_id); !s.ok()) return s.error();
    return postgres::ApplyBlobDeltas(c, deltas);
  });
}

Result<MetaStore::Completion> PostgresMetaStore::CompleteUpload(const std::string& bucket,
                                                                const std::string& key,
                                                                const std::string& upload_id,
                                                                const CompleteBuilder& build,
                                                                const WriteCondition& condition,
                                                                const CompletionReceipt& receipt) {
  return InTransaction<Completion>(
      *pool_, TxnKind::kWrite, [&](Connection& c) -> Result<Completion> {
        if (Status s = postgres::LockKey(c, bucket, key); !s.ok()) return s.error();
        Result<std::optional<core::UploadRecord>> upload = FindUpload(c, bucket, key, upload_id);
        if (!upload.ok()) return upload.error();
        if (!upload->has_value()) {
          Result<std::optional<core::CompletedUploadRecord>> completion =
              FindCompletion(c, bucket, key, upload_id);
          if (!completion.ok()) return completion.error();
          if (completion->has_value() && (*completion)->parts_digest == receipt.parts_digest) {
            return Completion{{}, std::move(**completion), /*retried=*/true};
          }
          // Only a miss pays for telling NoSuchBucket from NoSuchUpload.
          if (Status s = postgres::BucketExists(c, bucket); !s.ok()) return s.error();
          return Error(ErrorCode::kNoSuchUpload);
        }
        Result<std::vector<core::PartRecord>> parts = LoadParts(c, upload_id);
        if (!parts.ok()) return parts.error();
        Result<core::ObjectRecord> built = build(**upload, *parts);
        if (!built.ok()) return built.error();
        core::ObjectRecord object = std::move(*built);
        // The object lands where the upload was started, whatever the builder filled in.
        object.bucket = bucket;
        object.key = key;

        Result<std::optional<core::ObjectRecord>> current = postgres::FindObject(c, bucket, key);
        if (!current.ok()) return current.error();
        if (condition) {
          if (Status s = condition(*current); !s.ok()) return s.error();
        }
        if (Status s = postgres::WriteObjectRow(c, object, *current); !s.ok()) return s.error();

        // One net change per blob over everything this transaction adds and removes: a chosen
        // part's blob passes from the part to the object with its count unchanged.
        BlobDeltas deltas;
        AddReferences(object.extents, &deltas);
        if (current->has_value()) DropReferences((*current)->extents, &deltas);
        for (const core::PartRecord& part : *parts) DropReferences(part.extents, &deltas);
        if (Status s = DeleteUploadRows(c, upload_id); !s.ok()) return s.error();
        Completion completion;
        completion.record = core::CompletedUploadRecord{upload_id,
                                                        bucket,
                                                        key,
                                                        receipt.parts_digest,
                                                        object.etag,
                                                        object.checksums,
                                                        object.checksum_type,
                                                        object.size,
                                                        receipt.keep_until};
        if (Status s = postgres::WriteCompletedUploadRow(c, completion.record); !s.ok()) {
          return s.error();
        }
        Result<Freed> freed = postgres::ApplyBlobDeltas(c, deltas);
        if (!freed.ok()) return freed.error();
        completion.released = std::move(*freed);
        return completion;
      });
}

Result<uint32_t> PostgresMetaStore::DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) {
  return InTransaction<uint32_t>(*pool_, TxnKind::kWrite, [&](Connection& c) -> Result<uint32_t> {
    Result<Rows> done = c.Exec(
        "DELETE FROM completed_uploads WHERE upload_id IN (SELECT upload_id FROM "
        "completed_uploads WHERE expires_ms < $1 ORDER BY expires_ms LIMIT $2)",
        Params().Int(postgres::ToMillis(cutoff)).Int(limit));
    if (!done.ok()) return done.error();
    return static_cast<uint32_t>(done->Affected());
  });
}

Result<std::vector<core::UploadRecord>> PostgresMetaStore::ListUploadsInitiatedBefore(
    TimePoint cutoff, uint32_t limit) {
  using Uploads = std::vector<core::UploadRecord>;
  return InTransaction<Uploads>(*pool_, TxnKind::kNone, [&](Connection& c) -> Result<Uploads> {
    static const std::string sql = "SELECT " + std::string(kUploadColumns) +
                                   " FROM uploads WHERE initiated_ms < $1 "
                                   "ORDER BY initiated_ms, upload_id LIMIT $2";
    Result<Rows> rows = c.Exec(sql, Params().Int(postgres::ToMillis(cutoff)).Int(limit));
    if (!rows.ok()) return rows.error();
    Uploads out;
    for (int i = 0; i < rows->size(); ++i) {
      Result<core::UploadRecord> upload = postgres::ReadUploadRow(*rows, i);
      if (!upload.ok()) return upload.error();
      out.push_back(std::move(*upload));
    }
    return out;
  });
}

}  // namespace cairn::meta
