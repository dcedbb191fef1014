// ReadObject over each blob engine (no network): the bytes, ranges and lengths are the same
// whether the engine has files (handed over as file spans, for sendfile) or not (read through
// ReadAt into buffers, piece by piece).
#include "core/object_read.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <map>

#include "blob/fs/fs_blob_store.h"
#include "blob/mem/mem_blob_store.h"
#include "common/time_format.h"
#include "core/blob_reclaimer.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cairn::core {
namespace {

// What a client would receive of an object: its length, its bytes, and how they were handed over.
struct Received {
  Status status;
  std::optional<ByteRange> range;
  uint64_t length = 0;
  std::string body;
  int pieces_read = 0;  // bytes read into buffers
  int files_sent = 0;   // spans of a file, for sendfile
  // The checksum the response shows (x-amz-checksum-*, x-amz-checksum-type).
  std::map<std::string, std::string> checksums;
  std::string checksum_type;
};

std::string Pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 251) & 0xFF);
  return out;
}

using OpenEngine = std::function<std::unique_ptr<blob::BlobStore>(const std::string& dir)>;

struct Engine {
  std::string name;
  OpenEngine open;
  bool has_files;
  friend void PrintTo(const Engine& engine, std::ostream* os) { *os << engine.name; }
};

class ObjectReadTest : public ::testing::TestWithParam<Engine> {
 protected:
  // An object of two extents in two blobs, larger than the inline limit and than one read piece.
  static constexpr size_t kFirst = 300000, kSecond = 414400;

  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cairn-objget-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto meta = meta::OpenSqliteMetaStore(dir_ + "/meta.sqlite3");
    ASSERT_TRUE(meta.ok()) << meta.error().Message();
    meta_ = std::move(*meta);
    blobs_ = GetParam().open(dir_);
    ASSERT_NE(blobs_, nullptr);
    reclaimer_ = std::make_unique<BlobReclaimer>(*meta_, *blobs_,
                                                 [](std::function<void()> work) { work(); });
    storage_ = std::make_unique<Storage>(Storage{.meta = *meta_,
                                                 .blobs = *blobs_,
                                                 .reclaimer = *reclaimer_,
                                                 .pool = pool_,
                                                 .lookups = lookups_});
    ASSERT_TRUE(meta_->CreateBucket(BucketRecord{"b", NowMillis(), "auto"}).ok());
    bytes_ = Pattern(kFirst + kSecond);
    ObjectRecord object;
    object.bucket = "b";
    object.key = "k";
    object.size = bytes_.size();
    object.etag = "0123456789abcdef0123456789abcdef";
    object.last_modified = NowMillis();
    object.extents = {Extent{PutBlob(bytes_.substr(0, kFirst)), 0, kFirst},
                      Extent{PutBlob("prefix" + bytes_.substr(kFirst)), 6, kSecond}};
    ASSERT_TRUE(meta_->PutObject(object).ok());
  }
  void TearDown() override {
    pool_.join();
    lookups_.join();
    storage_.reset();
    reclaimer_.reset();
    blobs_.reset();
    meta_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string PutBlob(const std::string& bytes) {
    auto writer = std::move(*blobs_->Create());
    EXPECT_TRUE(writer->Append(bytes.data(), bytes.size()).ok());
    EXPECT_TRUE(writer->Commit().ok());
    return writer->id();
  }

  // Reads b/k as a GET (or a HEAD) with an optional Range header would.
  Received Read(bool with_body, std::string range = "", bool file_spans = true,
                std::string part_number = "") {
    ReadObjectRequest request;
    request.file_spans = file_spans;
    request.bucket = "b";
    request.key = "k";
    if (!range.empty()) request.range = std::move(range);
    if (!part_number.empty()) request.part_number = std::move(part_number);
    request.with_body = with_body;
    Received got;
    boost::asio::io_context io;
    boost::asio::co_spawn(io, Receive(std::move(request), got),
                          [](std::exception_ptr error) { EXPECT_FALSE(error); });
    io.run();
    return got;
  }

  Awaitable<void> Receive(ReadObjectRequest request, Received& got) {
    Result<ObjectRead> read = co_await ReadObject(*storage_, std::move(request));
    if (!read.ok()) {
      got.status = read.error();
      co_return;
    }
    got.range = read->range;
    got.length = read->length;
    if (read->checksums) got.checksums = *read->checksums;
    got.checksum_type = std::string(read->checksum_type);
    got.body.append(read->inline_bytes);
    if (!read->body) co_return;
    for (;;) {
      Result<std::optional<BodyPiece>> piece = co_await read->body->Next();
      if (!piece.ok()) {
        got.status = piece.error();
        co_return;
      }
      if (!*piece) co_return;
      if ((*piece)->fd >= 0) {
        std::string bytes((*piece)->length, '\0');
        EXPECT_EQ(
            pread((*piece)->fd, bytes.data(), bytes.size(), static_cast<off_t>((*piece)->offset)),
            static_cast<ssize_t>(bytes.size()));
        got.body += bytes;
        ++got.files_sent;
      } else {
        got.body.append((*piece)->bytes);
        ++got.pieces_read;
      }
    }
  }

  std::string dir_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<BlobReclaimer> reclaimer_;
  boost::asio::thread_pool pool_{2};
  boost::asio::thread_pool lookups_{2};
  std::unique_ptr<Storage> storage_;
  std::string bytes_;
};

TEST_P(ObjectReadTest, GetGivesTheWholeObject) {
  Received got = Read(true);
  ASSERT_TRUE(got.status.ok()) << got.status.error().Message();
  EXPECT_FALSE(got.range);
  EXPECT_EQ(got.length, bytes_.size());
  EXPECT_TRUE(got.body == bytes_);
  if (GetParam().has_files) {
    // The file-system engine stays zero-copy: every extent as a file span, nothing copied.
    EXPECT_EQ(got.files_sent, 2);
    EXPECT_EQ(got.pieces_read, 0);
  } else {
    EXPECT_EQ(got.files_sent, 0);
    EXPECT_GE(got.pieces_read, 4);  // 256 KiB pieces
  }
}

TEST_P(ObjectReadTest, ACallerThatCannotSendFilesGetsBytes) {
  // A TLS connection: the bytes of a file-backed blob are read into buffers on the lookup pool.
  Received got = Read(true, "", /*file_spans=*/false);
  ASSERT_TRUE(got.status.ok()) << got.status.error().Message();
  EXPECT_TRUE(got.body == bytes_);
  EXPECT_EQ(got.files_sent, 0);
  EXPECT_GE(got.pieces_read, 4);
}

TEST_P(ObjectReadTest, RangeAcrossExtents) {
  Received got = Read(true, "bytes=1000-600000");
  ASSERT_TRUE(got.status.ok()) << got.status.error().Message();
  ASSERT_TRUE(got.range);
  EXPECT_EQ(got.range->first, 1000u);
  EXPECT_EQ(got.length, 599001u);
  EXPECT_TRUE(got.body == bytes_.substr(1000, 599001));
}

TEST_P(ObjectReadTest, SmallRangeInsideTheSecondBlob) {
  Received got = Read(true, "bytes=-10");
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.body, bytes_.substr(bytes_.size() - 10));
}

TEST_P(ObjectReadTest, HeadTellsTheLengthWithoutABody) {
  Received got = Read(false);
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.length, bytes_.size());
  EXPECT_TRUE(got.body.empty());
}

// partNumber=N on a multipart object shows what S3 shows (object_read.cc, ShowPartChecksum): the
// part's checksum of a COMPOSITE object, the object's of a one-part FULL_OBJECT object, none for a
// FULL_OBJECT object of more parts; a whole read shows the object's, a byte range none.
TEST_P(ObjectReadTest, PartNumberShowsThePartsChecksum) {
  ObjectRecord object = *meta_->GetObject("b", "k");
  object.etag = "0123456789abcdef0123456789abcdef-2";
  object.checksums = {{"CRC32", "composite=-2"}};
  object.checksum_type = "COMPOSITE";
  object.parts_count = 2;
  object.parts = {{kFirst, {{"CRC32", "first=="}}}, {kSecond, {{"CRC32", "second=="}}}};
  ASSERT_TRUE(meta_->PutObject(object).ok());

  Received part = Read(false, "", true, "2");
  ASSERT_TRUE(part.status.ok()) << part.status.error().Message();
  ASSERT_TRUE(part.range);
  EXPECT_EQ(part.range->first, kFirst);
  EXPECT_EQ(part.checksums, (std::map<std::string, std::string>{{"CRC32", "second=="}}));
  EXPECT_EQ(part.checksum_type, "COMPOSITE");
  Received whole = Read(false);
  EXPECT_EQ(whole.checksums, object.checksums);
  EXPECT_EQ(whole.checksum_type, "COMPOSITE");
  Received range = Read(false, "bytes=0-9");
  EXPECT_TRUE(range.checksums.empty());
  EXPECT_TRUE(range.checksum_type.empty());

  object.checksums = {{"CRC32", "whole=="}};
  object.checksum_type = "FULL_OBJECT";
  ASSERT_TRUE(meta_->PutObject(object).ok());
  Received full = Read(false, "", true, "1");
  EXPECT_TRUE(full.checksums.empty());
  EXPECT_TRUE(full.checksum_type.empty());

  object.parts_count = 1;
  object.size = kFirst;
  object.extents.resize(1);
  object.parts = {{kFirst, {{"CRC32", "whole=="}}}};
  ASSERT_TRUE(meta_->PutObject(object).ok());
  Received only = Read(false, "", true, "1");
  EXPECT_EQ(only.checksums, object.checksums);
  EXPECT_EQ(only.checksum_type, "FULL_OBJECT");
}

TEST_P(ObjectReadTest, BlobShorterThanItsExtentIsAnError) {
  if (GetParam().has_files) GTEST_SKIP() << "a short file is sendfile's to find (http/server.cc)";
  ObjectRecord object;
  object.bucket = "b";
  object.key = "k";
  object.size = 500000;
  object.etag = "00000000000000000000000000000000";
  object.last_modified = NowMillis();
  object.extents = {Extent{PutBlob(Pattern(400000)), 0, 500000}};
  ASSERT_TRUE(meta_->PutObject(object).ok());
  Received got = Read(true);
  EXPECT_FALSE(got.status.ok());
  EXPECT_LT(got.body.size(), 500000u);
}

INSTANTIATE_TEST_SUITE_P(
    Engines, ObjectReadTest,
    ::testing::Values(Engine{"mem",
                             [](const std::string&) -> std::unique_ptr<blob::BlobStore> {
                               return std::make_unique<blob::MemBlobStore>();
                             },
                             false},
                      Engine{"fs",
                             [](const std::string& dir) -> std::unique_ptr<blob::BlobStore> {
                               auto fs = blob::OpenFsBlobStore(dir + "/data");
                               return fs.ok() ? std::move(*fs) : nullptr;
                             },
                             true}),
    [](const ::testing::TestParamInfo<Engine>& info) { return info.param.name; });

}  // namespace
}  // namespace cairn::core
