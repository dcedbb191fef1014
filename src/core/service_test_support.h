// What the core services' tests share: a Storage over SQLite and a blob engine (in memory, or
// files in a directory), each behind its fault wrapper with one FaultPlan, a body source in memory,
// a way to run a service coroutine to its end, and the checks a client would make afterwards: what
// every object reads back as, and whether any blob is left that no record references.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "blob/fault/fault_blob_store.h"
#include "blob/fs/fs_blob_store.h"
#include "blob/mem/mem_blob_store.h"
#include "common/encoding.h"
#include "common/fault_plan.h"
#include "common/hashing.h"
#include "core/blob_reclaimer.h"
#include "core/body_source.h"
#include "core/bucket_service.h"
#include "core/multipart_service.h"
#include "core/object_read.h"
#include "core/object_service.h"
#include "core/storage.h"
#include "meta/fault/fault_meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::core::testing {

namespace detail {
template <typename T>
Awaitable<void> Keep(Awaitable<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}
inline Awaitable<void> Keep(Awaitable<void> task, std::optional<bool>& out) {
  co_await std::move(task);
  out.emplace(true);
}
inline void Drive(boost::asio::io_context& io, Awaitable<void> task) {
  io.restart();  // the previous call's guard stopped `io` when it let go of the last work
  auto done = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  // The coroutine waits on the worker pools with nothing queued on `io`: keep run_one from
  // returning at once for lack of work.
  auto guard = boost::asio::make_work_guard(io);
  while (done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    io.run_one_for(std::chrono::milliseconds(5));
  }
  done.get();  // rethrows what the coroutine threw
}
}  // namespace detail

// Runs a service call on `io` (standing in for the event loop) until it ends; its result.
template <typename T>
T RunSync(boost::asio::io_context& io, Awaitable<T> task) {
  std::optional<T> out;
  detail::Drive(io, detail::Keep(std::move(task), out));
  return std::move(*out);
}
inline void RunSync(boost::asio::io_context& io, Awaitable<void> task) {
  std::optional<bool> out;
  detail::Drive(io, detail::Keep(std::move(task), out));
}

// A request body held in memory, handed out `piece` bytes at a time. `before_second` runs once,
// when the consumer asks for what follows the first piece (the second piece, or the end of a
// one-piece body): a test arms a fault there to strike in the middle of the body.
class MemBody final : public BodySource {
 public:
  MemBody(std::string bytes, size_t piece, std::function<void()> before_second = {})
      : bytes_(std::move(bytes)), piece_(piece), before_second_(std::move(before_second)) {}

  std::optional<uint64_t> declared_size() const override { return bytes_.size(); }
  Awaitable<Result<std::string_view>> Next() override {
    if (++calls_ == 2 && before_second_) before_second_();
    const size_t n = std::min(piece_, bytes_.size() - offset_);
    std::string_view run(bytes_.data() + offset_, n);
    offset_ += n;
    co_return run;
  }
  // As many as the server's PayloadReader keeps, so that several writes are in flight when a
  // fault strikes one of them (every run stays valid: they are views of bytes_).
  size_t pieces_kept() const override { return 3; }
  const Trailers& trailers() const override { return trailers_; }

 private:
  std::string bytes_;
  size_t piece_;
  std::function<void()> before_second_;
  size_t offset_ = 0;
  int calls_ = 0;
  Trailers trailers_;
};

// An object as a client sees it through GET: what it compares after a failed request.
struct Snapshot {
  std::string etag;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> user_metadata;
  std::string storage_class;
  std::string bytes;
  bool operator==(const Snapshot&) const = default;

  friend void PrintTo(const Snapshot& s, std::ostream* os) {
    *os << "{etag " << s.etag << ", " << s.bytes.size() << " bytes (md5 " << HexEncode(Md5(s.bytes))
        << "), " << s.content_type << ", " << s.storage_class;
    for (const auto& [name, value] : s.user_metadata) *os << ", " << name << "=" << value;
    *os << "}";
  }
};

// Recognisable bytes: `tag` and a counter, repeated to `size`.
inline std::string Bytes(const std::string& tag, size_t size) {
  std::string out;
  for (int i = 0; out.size() < size; ++i) out += tag + " " + std::to_string(i) + "\n";
  out.resize(size);
  return out;
}

// A single PUT's ETag: the hex MD5 of its bytes.
inline std::string EtagOf(std::string_view bytes) { return HexEncode(Md5(bytes)); }

// What a bucket holds: every object as read back, and the multipart uploads in progress with
// their parts ("etag size" by part number).
struct BucketState {
  std::map<std::string, Snapshot> objects;
  std::map<std::string, std::map<uint32_t, std::string>> uploads;  // upload id -> parts
  bool operator==(const BucketState&) const = default;

  friend void PrintTo(const BucketState& state, std::ostream* os) {
    for (const auto& [key, object] : state.objects) {
      *os << "\n  " << key << " ";
      PrintTo(object, os);
    }
    for (const auto& [id, parts] : state.uploads) {
      *os << "\n  upload " << id.substr(0, 8) << ":";
      for (const auto& [number, part] : parts) *os << " " << number << "=" << part;
    }
  }
};

class ServiceFixture : public ::testing::Test {
 protected:
  static constexpr const char* kBucket = "fault-tests";
  static constexpr size_t kInlineMax = 1024;  // bodies above it are blobs
  static constexpr size_t kPiece = 1024;

  // The file-system engine rather than the in-memory one.
  virtual bool OnDisk() const { return false; }

  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-service-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    meta::SqliteOptions options;
    options.durable = false;
    auto sqlite = meta::OpenSqliteMetaStore(dir_ + "/meta.sqlite3", options);
    ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
    sqlite_ = std::move(*sqlite);
    meta_ = std::make_unique<meta::FaultMetaStore>(*sqlite_, plan_);
    std::unique_ptr<blob::BlobStore> engine;
    if (OnDisk()) {
      auto fs = blob::OpenFsBlobStore(dir_ + "/blobs");
      ASSERT_TRUE(fs.ok()) << fs.error().message;
      engine = std::move(*fs);
    } else {
      engine = std::make_unique<blob::MemBlobStore>();
    }
    engine_ = engine.get();
    blobs_ = std::make_unique<blob::FaultBlobStore>(std::move(engine), plan_);
    reclaimer_ = std::make_unique<BlobReclaimer>(*meta_, *blobs_, [this](std::function<void()> w) {
      std::lock_guard lock(scheduled_mu_);
      scheduled_.push_back(std::move(w));
    });
    StorageLimits limits;
    limits.inline_max_bytes = kInlineMax;
    storage_.reset(new Storage{*meta_, *blobs_, *reclaimer_, pool_, lookups_, limits});
    Status bucket = Run(CreateBucket(*storage_, kBucket, ""));
    ASSERT_TRUE(bucket.ok()) << bucket.error().message;
  }

  void TearDown() override {
    pool_.join();
    lookups_.join();
    storage_.reset();
    reclaimer_.reset();
    blobs_.reset();
    meta_.reset();
    sqlite_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  template <typename T>
  T Run(Awaitable<T> task) {
    return RunSync(io_, std::move(task));
  }

  static ObjectMetadata Metadata(const std::string& content_type, const std::string& version) {
    ObjectMetadata metadata;
    metadata.http.content_type = content_type;
    metadata.user = {{"version", version}};
    metadata.storage_class = "STANDARD";
    return metadata;
  }

  // PUTs `bytes` at `key` with nothing armed; the ETag.
  std::string Put(const std::string& key, const std::string& bytes,
                  const ObjectMetadata& metadata) {
    MemBody body(bytes, kPiece);
    Result<ObjectRecord> put = Run(PutObject(*storage_, {kBucket, key, metadata, {}}, body, {}));
    EXPECT_TRUE(put.ok()) << put.error().message;
    return put.ok() ? put->etag : "";
  }

  // The object as GET returns it, every byte read through its ObjectBody.
  Result<Snapshot> Read(const std::string& key) { return Run(ReadAll(*storage_, key)); }

  // `after_head` runs once the response's head is decided, before the body is read.
  static Awaitable<Result<Snapshot>> ReadAll(Storage& storage, std::string key,
                                             std::function<void()> after_head = {}) {
    ReadObjectRequest request;
    request.bucket = kBucket;
    request.key = std::move(key);
    request.file_spans = false;  // every piece comes as bytes, whatever the engine
    Result<ObjectRead> read = co_await ReadObject(storage, std::move(request));
    if (!read.ok()) co_return read.error();
    if (after_head) after_head();
    Snapshot snapshot;
    snapshot.etag = read->object->etag;
    snapshot.content_type = read->object->http.content_type;
    snapshot.user_metadata = read->object->user_metadata;
    snapshot.storage_class = read->object->storage_class;
    snapshot.bytes = std::string(read->inline_bytes);
    if (read->body) {
      for (;;) {
        Result<std::optional<BodyPiece>> piece = co_await read->body->Next();
        if (!piece.ok()) co_return piece.error();
        if (!*piece) break;
        snapshot.bytes.append((*piece)->bytes);
      }
    }
    if (snapshot.bytes.size() != read->length) {
      co_return Error(ErrorCode::kIncompleteBody, "read " + std::to_string(snapshot.bytes.size()) +
                                                      " of " + std::to_string(read->length));
    }
    co_return snapshot;
  }

  // Every object and upload of the bucket, read through the services with nothing armed: a record
  // that points at a missing blob fails the read and so the test.
  BucketState State() {
    BucketState state;
    Result<ListPage> page = Run(ListObjects(*storage_, kBucket, ListQuery{}));
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (!page.ok()) return state;
    for (const ObjectRecord& listed : page->objects) {
      Result<Snapshot> object = Read(listed.key);
      EXPECT_TRUE(object.ok()) << listed.key << ": " << object.error().message;
      if (object.ok()) state.objects[listed.key] = std::move(*object);
    }
    Result<UploadsPage> uploads = Run(ListUploads(*storage_, kBucket, UploadsQuery{}));
    EXPECT_TRUE(uploads.ok()) << uploads.error().message;
    if (!uploads.ok()) return state;
    for (const UploadRecord& upload : uploads->uploads) {
      Result<PartsListing> parts =
          Run(core::ListParts(*storage_, kBucket, upload.key, upload.upload_id, 0, 1000));
      EXPECT_TRUE(parts.ok()) << parts.error().message;
      if (!parts.ok()) continue;
      auto& out = state.uploads[upload.upload_id];
      for (const PartRecord& part : parts->page.parts) {
        out[part.part_number] = part.etag + " " + std::to_string(part.size);
      }
    }
    return state;
  }

  // Runs what the reclaimer deferred behind readers, as its scheduler would.
  void Settle() {
    for (;;) {
      std::vector<std::function<void()>> work;
      {
        std::lock_guard lock(scheduled_mu_);
        work.swap(scheduled_);
      }
      if (work.empty()) return;
      for (auto& w : work) w();
    }
  }

  // Blobs in the engine that no object or part references, read past the fault wrappers.
  std::vector<std::string> Unreferenced() {
    std::vector<std::string> out;
    std::string after;
    for (;;) {
      auto ids = engine_->ListIds(after, 1000);
      EXPECT_TRUE(ids.ok());
      if (!ids.ok()) return out;
      for (const std::string& id : *ids) {
        auto referenced = sqlite_->BlobReferenced(id);
        EXPECT_TRUE(referenced.ok());
        if (referenced.ok() && !*referenced) out.push_back(id);
      }
      if (ids->size() < 1000) return out;
      after = ids->back();
    }
  }

  // A request whose commit releases a blob: a blob-backed object put and deleted.
  void ReleaseOneBlob() {
    Put("released", Bytes("released", 2 * kInlineMax), Metadata("text/plain", "1"));
    Status deleted = Run(DeleteObject(*storage_, kBucket, "released"));
    EXPECT_TRUE(deleted.ok()) << deleted.error().message;
  }

  // What a restart's start-up sweep does after a power cut: removes the blobs no record references.
  void SweepOrphans() {
    for (const std::string& id : Unreferenced()) EXPECT_TRUE(engine_->Remove(id).ok()) << id;
  }

  // The bytes of a blob in the engine, past the fault wrapper.
  std::string BlobBytes(const std::string& id) {
    auto reader = engine_->Open(id);
    if (!reader.ok()) return "<no blob " + id + ">";
    std::string bytes((*reader)->size(), '\0');
    auto n = (*reader)->ReadAt(0, bytes.data(), bytes.size());
    return n.ok() ? bytes.substr(0, *n) : "<unreadable blob " + id + ">";
  }

  // Once the reclaimer has run, every blob is referenced by a record but `orphans` of them (which
  // the start-up sweep removes); each one left is described. Returns those left.
  std::vector<std::string> ExpectUnreferencedBlobs(size_t orphans) {
    Settle();
    const std::vector<std::string> left = Unreferenced();
    std::string described;
    for (const std::string& id : left) {
      const std::string bytes = BlobBytes(id);
      described += "\n  " + id + ": " + std::to_string(bytes.size()) + " bytes, md5 " +
                   HexEncode(Md5(bytes));
    }
    EXPECT_EQ(left.size(), orphans) << "blobs no record references:" << described;
    if (OnDisk()) {
      // A blob written but not committed leaves no file behind either.
      const auto temporaries = std::filesystem::directory_iterator(dir_ + "/blobs/tmp");
      EXPECT_EQ(std::distance(begin(temporaries), end(temporaries)), 0) << "temporary files left";
    }
    return left;
  }
  void ExpectNoLeakedBlobs() { (void)ExpectUnreferencedBlobs(0); }

  std::string dir_;
  FaultPlan plan_;
  boost::asio::io_context io_;
  std::unique_ptr<meta::MetaStore> sqlite_;
  std::unique_ptr<meta::MetaStore> meta_;  // sqlite_ behind the plan
  blob::BlobStore* engine_ = nullptr;      // the engine inside blobs_
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<BlobReclaimer> reclaimer_;
  std::mutex scheduled_mu_;
  std::vector<std::function<void()>> scheduled_;
  std::unique_ptr<Storage> storage_;
  // Last, so that they are joined before anything their work uses goes.
  boost::asio::thread_pool pool_{2};
  boost::asio::thread_pool lookups_{1};
};

}  // namespace cairn::core::testing
