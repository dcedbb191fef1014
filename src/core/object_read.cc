#include "core/object_read.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "blob/blob_store.h"
#include "core/blob_reclaimer.h"
#include "core/extents.h"
#include "meta/meta_store.h"
#include "meta/object_cache.h"

namespace cairn::core {
namespace {

// Blob files opened with the metadata lookup; an object of more extents opens the rest as it goes.
constexpr size_t kOpenAhead = 8;
// The bytes of a blob without a file read at a time (as the session's copying sendfile does).
constexpr uint64_t kReadPiece = 256 << 10;

// The partNumber query parameter: 1..10000, else InvalidArgument.
Result<uint32_t> ParsePartNumber(std::string_view number) {
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec != std::errc() || p != number.data() + number.size() || n < 1 || n > 10000) {
    return Error(ErrorCode::kInvalidArgument,
                 "Part number must be an integer between 1 and 10000, inclusive");
  }
  return n;
}

// The byte range of part `n` (1-based) of an object; a single PUT is one part.
Result<ByteRange> PartRange(const ObjectRecord& object, uint32_t n) {
  const uint32_t parts = object.parts_count == 0 ? 1 : object.parts_count;
  if (n > parts || object.size == 0) return Error(ErrorCode::kInvalidPartNumber);
  if (object.parts_count == 0) return ByteRange{0, object.size - 1};
  uint64_t first = 0;
  for (uint32_t i = 1; i < n; ++i) first += object.parts[i - 1].size;
  return ByteRange{first, first + object.parts[n - 1].size - 1};
}

// The checksum a read of part `n` of a multipart object shows. S3 user guide, "Checking object
// integrity": "For completed uploads, you can get an individual part's checksum by using the
// GetObject or HeadObject operations and specifying a part number". What S3 answers, as recorded
// against AWS by LocalStack's snapshot tests (test_get_object_part_checksum,
// test_complete_multipart_parts_checksum_*): a COMPOSITE object shows the part's checksum with
// type COMPOSITE; a FULL_OBJECT object shows its checksum (with its type) only when it has one
// part, which is then that part's; with more parts, none.
void ShowPartChecksum(const ObjectRecord& o, uint32_t n, ObjectRead& read) {
  if (o.checksum_type == "COMPOSITE") {
    read.checksums = &o.parts[n - 1].checksums;
    read.checksum_type = o.checksum_type;
  } else if (o.checksum_type == "FULL_OBJECT" && o.parts_count == 1) {
    read.checksums = &o.checksums;
    read.checksum_type = o.checksum_type;
  }
}

// What the response will be, decided with the metadata in hand.
struct ReadPlan {
  ObjectRead read;
  std::vector<Extent> slice;                              // the extents of the bytes to send
  std::vector<std::unique_ptr<blob::BlobReader>> opened;  // the first extents of `slice`
};

// Decides the response to a request for `object`: conditions, then the range. Errors are the
// response (PreconditionFailed, InvalidRange, ...). Pure: runs anywhere.
Result<ReadPlan> Decide(const ReadObjectRequest& request,
                        std::shared_ptr<const ObjectRecord> object) {
  ReadPlan plan;
  plan.read.object = std::move(object);
  const ObjectRecord& o = *plan.read.object;
  if (request.select) {
    Result<std::optional<ByteRange>> selected = request.select(o);
    if (!selected.ok()) {
      if (selected.error().code != ErrorCode::kNotModified) return selected.error();
      plan.read.not_modified = true;
      return plan;
    }
    plan.read.range = *selected;
  } else if (Status conditions =
                 CheckReadConditions(request.conditions, ObjectState{o.etag, o.last_modified});
             !conditions.ok()) {
    if (conditions.code() != ErrorCode::kNotModified) return conditions.error();
    plan.read.not_modified = true;
    return plan;
  } else if (request.part_number) {
    auto n = ParsePartNumber(*request.part_number);
    if (!n.ok()) return n.error();
    auto part_range = PartRange(o, *n);
    if (!part_range.ok()) return part_range.error();
    if (o.parts_count > 0) {
      plan.read.range = *part_range;
      ShowPartChecksum(o, *n, plan.read);
    }
  } else if (request.range) {
    auto resolved = ResolveRange(*request.range, o.size);
    if (!resolved.ok()) return resolved.error();
    plan.read.range = *resolved;
  }
  if (!plan.read.range) {
    plan.read.checksums = &o.checksums;
    plan.read.checksum_type = o.checksum_type;
  }
  const uint64_t first = plan.read.range ? plan.read.range->first : 0;
  plan.read.length = plan.read.range ? plan.read.range->length() : o.size;
  if (o.stored_inline() && request.with_body) {
    plan.read.inline_bytes = std::string_view(o.inline_data).substr(first, plan.read.length);
  }
  return plan;
}

// Blocking: looks the object up (unless `cached` has it), decides the response and, for a GET of
// a blob-backed object, opens its first blob files. Errors are the response.
Result<ReadPlan> PlanRead(Storage& storage, const ReadObjectRequest& request,
                          std::shared_ptr<const ObjectRecord> cached) {
  if (!cached) {
    auto object = storage.meta.GetObject(request.bucket, request.key);
    if (!object.ok()) return object.error();
    cached = std::make_shared<const ObjectRecord>(std::move(*object));
  }
  Result<ReadPlan> plan = Decide(request, std::move(cached));
  if (!plan.ok() || plan->read.not_modified) return plan;
  const ObjectRecord& o = *plan->read.object;
  if (!request.with_body || plan->read.length == 0 || o.stored_inline()) return plan;
  const uint64_t first = plan->read.range ? plan->read.range->first : 0;
  auto slice = SliceExtents(o.extents, first, plan->read.length);
  if (!slice.ok()) return slice.error();
  plan->slice = std::move(*slice);
  for (size_t i = 0; i < plan->slice.size() && i < kOpenAhead; ++i) {
    auto reader = storage.blobs.Open(plan->slice[i].blob_id);
    if (!reader.ok()) return reader.error();
    plan->opened.push_back(std::move(*reader));
  }
  return plan;
}

// A blob without a file, read in pieces into two buffers: one being sent by the caller, one being
// filled on the lookup pool. Shared with the read in flight, which outlives the body when the
// caller stops early.
struct Pieces {
  std::unique_ptr<blob::BlobReader> reader;
  std::array<std::string, 2> buffers;
};

}  // namespace

struct ObjectBody::State {
  Storage& storage;
  BlobReclaimer::Reader reading;  // until the last byte was given
  bool file_spans;
  std::vector<Extent> slice;
  std::vector<std::unique_ptr<blob::BlobReader>> opened;
  size_t next_extent = 0;
  std::unique_ptr<blob::BlobReader> current{};  // the file whose span was given last
  // The extent being read into buffers, if any, and the buffers of the piece given last.
  std::shared_ptr<Pieces> pieces{};
  std::shared_ptr<Pieces> given{};
  uint64_t at = 0;   // the offset the read in flight started at
  uint64_t end = 0;  // the end of the extent
  size_t slot = 0;   // the buffer the read in flight fills
  std::optional<BlockingTask<Result<size_t>>> in_flight{};

  void StartRead() {
    const size_t want = static_cast<size_t>(std::min(end - at, kReadPiece));
    auto read = [pieces = pieces, slot = slot, at = at, want]() -> Result<size_t> {
      std::string& buffer = pieces->buffers[slot];
      buffer.resize(want);
      Result<size_t> n = pieces->reader->ReadAt(at, buffer.data(), want);
      if (n.ok() && *n < want) {
        return Error(ErrorCode::kStorageCorruption, "blob is shorter than its extent");
      }
      return n;
    };
    in_flight.emplace(storage.lookups, std::move(read));
  }
};

ObjectBody::ObjectBody(std::unique_ptr<State> state) : state_(std::move(state)) {}
ObjectBody::~ObjectBody() = default;
ObjectBody::ObjectBody(ObjectBody&&) noexcept = default;
ObjectBody& ObjectBody::operator=(ObjectBody&&) noexcept = default;

Awaitable<Result<std::optional<BodyPiece>>> ObjectBody::Next() {
  State& s = *state_;
  s.current.reset();  // the caller is done with the piece given last
  s.given.reset();
  if (s.in_flight) {
    BlockingTask<Result<size_t>> read = std::move(*s.in_flight);
    s.in_flight.reset();
    Result<size_t> got = co_await read.Wait();
    if (!got.ok()) co_return got.error();
    const size_t filled = s.slot;
    s.given = s.pieces;
    s.at += *got;
    if (s.at < s.end) {
      s.slot ^= 1;  // the caller is done with the other buffer, given last
      s.StartRead();
    } else {
      s.pieces.reset();
    }
    BodyPiece piece;
    piece.bytes = std::string_view(s.given->buffers[filled].data(), *got);
    co_return piece;
  }
  if (s.next_extent == s.slice.size()) co_return std::nullopt;
  const Extent& extent = s.slice[s.next_extent];
  std::unique_ptr<blob::BlobReader> reader;
  if (s.next_extent < s.opened.size()) {
    reader = std::move(s.opened[s.next_extent]);
  } else {
    auto opened = co_await s.storage.Lookup([&] { return s.storage.blobs.Open(extent.blob_id); });
    if (!opened.ok()) co_return opened.error();
    reader = std::move(*opened);
  }
  ++s.next_extent;
  const blob::FileBacking* file = s.file_spans ? reader->file() : nullptr;
  if (file) {
    // Closing a blob file is cheap: the reclaimer unlinks blobs only after their readers end, so
    // the close never frees a file's blocks on the event loop.
    BodyPiece piece{file->fd, extent.offset, extent.length, {}};
    s.current = std::move(reader);
    co_return piece;
  }
  s.pieces = std::make_shared<Pieces>();
  s.pieces->reader = std::move(reader);
  s.pieces->reader->WillRead(extent.offset, extent.length);
  s.at = extent.offset;
  s.end = extent.offset + extent.length;
  s.slot = 0;
  s.StartRead();
  co_return co_await Next();
}

Awaitable<Result<ObjectRead>> ReadObject(Storage& storage, ReadObjectRequest request) {
  std::optional<BlobReclaimer::Reader> reading;
  if (request.with_body) reading.emplace(storage.reclaimer.BeginRead());
  // A hot object answers from the cache; a small one then needs no other thread at all.
  std::shared_ptr<const ObjectRecord> cached =
      storage.object_cache ? storage.object_cache->Find(request.bucket, request.key) : nullptr;
  Result<ReadPlan> plan = Error(ErrorCode::kInternalError);
  if (cached && (!request.with_body || cached->stored_inline() || cached->size == 0)) {
    plan = Decide(request, std::move(cached));
  } else {
    // (Not a conditional expression around the co_await: GCC 12 mishandles those.)
    plan = co_await storage.Lookup([&] { return PlanRead(storage, request, cached); });
  }
  if (!plan.ok()) co_return plan.error();
  if (!plan->slice.empty()) {
    plan->read.body.emplace(
        std::make_unique<ObjectBody::State>(ObjectBody::State{.storage = storage,
                                                              .reading = std::move(*reading),
                                                              .file_spans = request.file_spans,
                                                              .slice = std::move(plan->slice),
                                                              .opened = std::move(plan->opened)}));
  }
  co_return std::move(plan->read);
}

}  // namespace cairn::core
