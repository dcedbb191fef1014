#include "core/multipart_service.h"

#include <map>
#include <memory>

#include "blob/blob_store.h"
#include "common/ascii.h"
#include "common/encoding.h"
#include "common/random.h"
#include "core/blob_reclaimer.h"
#include "core/body_ingest.h"
#include "core/bucket_documents.h"
#include "core/extents.h"
#include "core/range.h"
#include "meta/meta_store.h"

namespace cairn::core {
namespace {

// Records the part; when the upload vanished meanwhile (aborted, completed) the part's own blobs
// go.
Awaitable<Status> CommitPart(Storage& storage, const PartTarget& target, const PartRecord& part,
                             std::vector<std::string> own_blobs) {
  auto released = co_await storage.Blocking(
      [&] { return storage.meta.PutPart(target.bucket, target.key, target.upload_id, part); });
  if (!released.ok()) {
    Error failed = released.error();  // named: GCC 12 mishandles temporaries across co_await
    co_return co_await AbandonBlobs(storage, std::move(own_blobs), std::move(failed));
  }
  co_await ReleaseBlobs(storage, std::move(*released));
  co_return Status::Ok();
}

// The MD5 (and the upload's checksum, if any) of a part copied from a range of another object.
struct RangeDigests {
  std::string md5;
  std::map<std::string, std::string> checksums;
};

class RangeHasher {
 public:
  explicit RangeHasher(std::optional<ChecksumAlgorithm> algorithm)
      : algorithm_(algorithm),
        md5_(MakeMd5Hasher()),
        checksum_(algorithm ? MakeChecksumHasher(*algorithm) : nullptr) {}
  void Update(const char* data, size_t size) {
    md5_->Update(data, size);
    if (checksum_) checksum_->Update(data, size);
  }
  RangeDigests Finish() {
    RangeDigests digests{md5_->Finish(), {}};
    if (checksum_) {
      digests.checksums.emplace(ChecksumAlgorithmName(*algorithm_),
                                Base64Encode(checksum_->Finish()));
    }
    return digests;
  }

 private:
  std::optional<ChecksumAlgorithm> algorithm_;
  std::unique_ptr<Hasher> md5_;
  std::unique_ptr<Hasher> checksum_;
};

// Digests of bytes [first, first+length) of an object, read from its blobs (blocking).
Result<RangeDigests> HashObjectRange(blob::BlobStore& blobs, const std::vector<Extent>& extents,
                                     uint64_t first, uint64_t length,
                                     std::optional<ChecksumAlgorithm> algorithm) {
  auto slice = SliceExtents(extents, first, length);
  if (!slice.ok()) return slice.error();
  RangeHasher hasher(algorithm);
  std::string buffer(1 << 20, '\0');
  for (const Extent& e : *slice) {
    auto reader = blobs.Open(e.blob_id);
    if (!reader.ok()) return reader.error();
    (*reader)->WillRead(e.offset, e.length);
    for (uint64_t done = 0; done < e.length;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), e.length - done));
      auto n = (*reader)->ReadAt(e.offset + done, buffer.data(), want);
      if (!n.ok()) return n.error();
      if (*n == 0) return Error(ErrorCode::kStorageCorruption, "blob is shorter than its extent");
      hasher.Update(buffer.data(), *n);
      done += *n;
    }
  }
  return hasher.Finish();
}

// A part copied from a small object kept inline: its bytes need a blob of their own, since parts
// are always extents (blocking).
Status CopyInlineRange(blob::BlobStore& blobs, std::string_view bytes,
                       std::optional<ChecksumAlgorithm> algorithm, PartRecord& part) {
  auto writer = blobs.Create();
  if (!writer.ok()) return writer.status();
  if (Status s = (*writer)->Append(bytes.data(), bytes.size()); !s.ok()) return s;
  if (Status s = (*writer)->Commit(); !s.ok()) return s;
  RangeHasher hasher(algorithm);
  hasher.Update(bytes.data(), bytes.size());
  RangeDigests digests = hasher.Finish();
  part.etag = HexEncode(digests.md5);
  part.checksums = std::move(digests.checksums);
  part.extents = {Extent{(*writer)->id(), 0, bytes.size()}};
  return Status::Ok();
}

// The object a Complete makes of the chosen parts, their extents in order.
Result<ObjectRecord> BuildObject(const UploadRecord& upload,
                                 const std::vector<RequestedPart>& requested,
                                 const std::vector<PartRecord>& uploaded) {
  auto parts = SelectParts(upload, requested, uploaded);
  if (!parts.ok()) return parts.error();
  auto checksum = CombinePartChecksums(upload, *parts);
  if (!checksum.ok()) return checksum.error();
  ObjectRecord object;
  object.bucket = upload.bucket;
  object.key = upload.key;
  object.etag = MultipartEtag(*parts);
  object.last_modified = NowMillis();
  object.http = upload.http;
  object.user_metadata = upload.user_metadata;
  object.storage_class = upload.storage_class;
  object.checksums = std::move(checksum->checksums);
  object.checksum_type = std::move(checksum->type);
  object.parts_count = static_cast<uint32_t>(parts->size());
  for (const PartRecord* part : *parts) {
    object.size += part->size;
    // Each part keeps the checksum of the object's algorithm, the one its checksum is made of.
    ObjectPart& kept = object.parts.emplace_back(ObjectPart{part->size, {}});
    for (const auto& [name, value] : part->checksums) {
      if (object.checksums.contains(name)) kept.checksums.emplace(name, value);
    }
    object.extents.insert(object.extents.end(), part->extents.begin(), part->extents.end());
  }
  return object;
}

// The object a client is told about when its Complete is a retry: the first answer's.
ObjectRecord RecordedObject(const CompletedUploadRecord& record) {
  ObjectRecord object;
  object.bucket = record.bucket;
  object.key = record.key;
  object.etag = record.etag;
  object.size = record.size;
  object.checksums = record.checksums;
  object.checksum_type = record.checksum_type;
  return object;
}

// The algorithm of a recorded completion's checksum ("" when it has none).
std::string RecordedAlgorithm(const CompletedUploadRecord& record) {
  return record.checksums.empty() ? "" : record.checksums.begin()->first;
}

}  // namespace

Awaitable<Result<CreatedUpload>> CreateUpload(Storage& storage, CreateUploadRequest request) {
  CreatedUpload created;
  UploadRecord& upload = created.upload;
  if (request.checksum_algorithm) {
    Result<std::string> type =
        UploadChecksumType(*request.checksum_algorithm, request.checksum_type.value_or(""));
    if (!type.ok()) co_return type.error();
    upload.checksum_algorithm = std::string(ChecksumAlgorithmName(*request.checksum_algorithm));
    upload.checksum_type = *std::move(type);
  }
  upload.upload_id = RandomHex(24);
  upload.bucket = std::move(request.bucket);
  upload.key = std::move(request.key);
  upload.initiated = NowMillis();
  upload.http = std::move(request.metadata.http);
  upload.user_metadata = std::move(request.metadata.user);
  upload.storage_class = std::move(request.metadata.storage_class);
  // The rules are read first: once the upload is committed nothing may fail the request, or an
  // upload would stay behind under an id its client never got.
  auto lifecycle =
      co_await storage.Blocking([&]() -> Result<std::optional<LifecycleConfiguration>> {
        auto rules = LoadLifecycle(storage.meta, upload.bucket);
        if (!rules.ok()) return rules;
        if (Status s = storage.meta.CreateUpload(upload); !s.ok()) return s.error();
        return rules;
      });
  if (!lifecycle.ok()) co_return lifecycle.error();
  created.abort = AbortScheduleFor(lifecycle->has_value() ? &**lifecycle : nullptr, upload.key,
                                   upload.initiated);
  co_return created;
}

Awaitable<Result<PartRecord>> UploadPart(Storage& storage, PartTarget target, BodySource& body,
                                         IntegrityExpectations expectations) {
  auto upload = co_await storage.Lookup(
      [&] { return storage.meta.GetUpload(target.bucket, target.key, target.upload_id); });
  if (!upload.ok()) co_return upload.error();
  // An upload with a checksum algorithm keeps that checksum of every part, sent or not.
  if (auto algorithm = ParseChecksumAlgorithm(upload->checksum_algorithm)) {
    if (!expectations.algorithm) {
      expectations.algorithm = algorithm;
    } else if (*expectations.algorithm != *algorithm) {
      co_return Error(ErrorCode::kInvalidRequest,
                      "Checksum Type mismatch occurred, expected checksum Type: " +
                          AsciiLowercase(upload->checksum_algorithm) + ", actual checksum Type: " +
                          AsciiLowercase(ChecksumAlgorithmName(*expectations.algorithm)));
    }
  }
  Result<IngestedBody> ingested = co_await IngestBody(storage, body, std::move(expectations));
  if (!ingested.ok()) co_return ingested.error();
  PartRecord part;
  part.part_number = target.part_number;
  part.size = ingested->size;
  part.etag = HexEncode(ingested->integrity.md5);
  part.last_modified = NowMillis();
  part.checksums = ingested->integrity.checksums;
  part.extents = ExtentsOf(*ingested);
  std::vector<std::string> own_blobs;
  if (!ingested->blob_id.empty()) own_blobs.push_back(ingested->blob_id);
  Status committed = co_await CommitPart(storage, target, part, std::move(own_blobs));
  if (!committed.ok()) co_return committed.error();
  co_return part;
}

Awaitable<Result<PartRecord>> UploadPartCopy(Storage& storage, PartTarget target,
                                             PartCopySource source) {
  auto upload = co_await storage.Lookup(
      [&] { return storage.meta.GetUpload(target.bucket, target.key, target.upload_id); });
  if (!upload.ok()) co_return upload.error();
  // The source's blobs must not be deleted before the part's reference to them is committed.
  const BlobReclaimer::Reader reading = storage.reclaimer.BeginRead();
  std::vector<std::string> own_blobs;  // a blob written for this part alone (from an inline source)
  auto part = co_await storage.Blocking([&]() -> Result<PartRecord> {
    auto object = storage.meta.GetObject(source.bucket, source.key);
    if (!object.ok()) return object.error();
    if (!CheckReadConditions(source.conditions, ObjectState{object->etag, object->last_modified})
             .ok()) {
      return Error(ErrorCode::kPreconditionFailed);
    }
    uint64_t first = 0;
    uint64_t length = object->size;
    if (source.range) {
      auto range = ParseCopySourceRange(*source.range, object->size);
      if (!range.ok()) return range.error();
      first = range->first;
      length = range->length();
    }
    if (length > kMaxPartSize) return Error(ErrorCode::kEntityTooLarge);
    PartRecord p;
    p.part_number = target.part_number;
    p.size = length;
    p.last_modified = NowMillis();
    const auto algorithm = ParseChecksumAlgorithm(upload->checksum_algorithm);
    if (object->stored_inline()) {
      const std::string_view bytes = std::string_view(object->inline_data).substr(first, length);
      if (Status s = CopyInlineRange(storage.blobs, bytes, algorithm, p); !s.ok()) {
        return s.error();
      }
      own_blobs.push_back(p.extents[0].blob_id);
      return p;
    }
    auto extents = SliceExtents(object->extents, first, length);
    if (!extents.ok()) return extents.error();
    p.extents = std::move(*extents);
    const bool whole_single_put = object->parts_count == 0 && first == 0 && length == object->size;
    if (whole_single_put && !algorithm) {
      p.etag = object->etag;  // a single PUT's ETag is the MD5 of its bytes: nothing to read
    } else {
      auto digests = HashObjectRange(storage.blobs, object->extents, first, length, algorithm);
      if (!digests.ok()) return digests.error();
      p.etag = HexEncode(digests->md5);
      p.checksums = std::move(digests->checksums);
    }
    return p;
  });
  if (!part.ok()) co_return part.error();
  Status committed = co_await CommitPart(storage, target, *part, std::move(own_blobs));
  if (!committed.ok()) co_return committed.error();
  co_return std::move(*part);
}

Awaitable<Result<ObjectRecord>> CompleteUpload(Storage& storage, std::string bucket,
                                               std::string key, std::string upload_id,
                                               std::vector<RequestedPart> requested,
                                               Conditions conditions,
                                               std::optional<ExpectedChecksum> expected) {
  ObjectRecord object;
  auto completion = co_await storage.Blocking([&]() -> Result<meta::MetaStore::Completion> {
    // The rules are read before the transaction, which must stay short.
    auto lifecycle = LoadLifecycle(storage.meta, bucket);
    if (!lifecycle.ok()) return lifecycle.error();
    const meta::MetaStore::CompletionReceipt receipt{
        PartListDigest(requested),
        CompletionKeptUntil(lifecycle->has_value() ? &**lifecycle : nullptr, key, NowMillis())};
    auto build = [&](const UploadRecord& upload,
                     const std::vector<PartRecord>& parts) -> Result<ObjectRecord> {
      auto built = BuildObject(upload, requested, parts);
      if (!built.ok()) return built;
      if (expected) {
        Status s = CheckExpectedChecksum(*expected, upload.checksum_algorithm, built->checksums);
        if (!s.ok()) return s.error();
      }
      object = *built;
      return built;
    };
    meta::WriteCondition condition;
    if (!conditions.empty()) {
      condition = [&](const std::optional<ObjectRecord>& current) {
        std::optional<ObjectState> state;
        if (current) state = ObjectState{current->etag, current->last_modified};
        return CheckWriteConditions(conditions, state);
      };
    }
    return storage.meta.CompleteUpload(bucket, key, upload_id, build, condition, receipt);
  });
  if (!completion.ok()) co_return completion.error();
  if (completion->retried) {
    if (expected) {
      Status s = CheckExpectedChecksum(*expected, RecordedAlgorithm(completion->record),
                                       completion->record.checksums);
      if (!s.ok()) co_return s.error();
    }
    co_return RecordedObject(completion->record);
  }
  co_await ReleaseBlobs(storage, std::move(completion->released));
  co_return object;
}

Awaitable<Status> AbortUpload(Storage& storage, std::string bucket, std::string key,
                              std::string upload_id) {
  auto released =
      co_await storage.Blocking([&] { return storage.meta.AbortUpload(bucket, key, upload_id); });
  if (!released.ok()) co_return released.error();
  co_await ReleaseBlobs(storage, std::move(*released));
  co_return Status::Ok();
}

Awaitable<Result<PartsListing>> ListParts(Storage& storage, std::string bucket, std::string key,
                                          std::string upload_id, uint32_t part_number_marker,
                                          uint32_t max_parts) {
  PartsListing listing;
  Status listed = co_await storage.Lookup([&]() -> Status {
    auto found = storage.meta.GetUpload(bucket, key, upload_id);
    if (!found.ok()) return found.status();
    listing.upload = std::move(*found);
    auto rules = LoadLifecycle(storage.meta, bucket);
    if (!rules.ok()) return rules.status();
    // As S3 does, ListParts says when the lifecycle rules will abort the upload.
    listing.abort = AbortScheduleFor(rules->has_value() ? &**rules : nullptr, listing.upload.key,
                                     listing.upload.initiated);
    auto page = storage.meta.ListParts(bucket, key, upload_id, part_number_marker, max_parts);
    if (!page.ok()) return page.status();
    listing.page = std::move(*page);
    return Status::Ok();
  });
  if (!listed.ok()) co_return listed.error();
  co_return listing;
}

Awaitable<Result<UploadsPage>> ListUploads(Storage& storage, std::string bucket,
                                           UploadsQuery query) {
  co_return co_await storage.Lookup([&] { return storage.meta.ListUploads(bucket, query); });
}

}  // namespace cairn::core
