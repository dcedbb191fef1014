// The uploads walk against an in-memory scanner that counts its work: a delimiter page of a
// bucket with many uploads under a few prefixes costs O(page) seeks and rows, and the markers
// resume at the right upload. The shared suite checks the results against real engines.
#include "meta/upload_walk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace cairn::meta {
namespace {

using Row = std::tuple<std::string, int64_t, std::string>;  // key, initiated ms, upload id

class CountingScanner final : public UploadScanner {
 public:
  explicit CountingScanner(std::vector<Row> rows) : rows_(std::move(rows)) {
    std::sort(rows_.begin(), rows_.end());
  }

  Status Seek(const std::string& from, const std::optional<UploadCursor>& after,
              const std::optional<std::string>& before, uint64_t limit) override {
    ++seeks;
    pos_ = 0;
    while (pos_ < rows_.size() && !Starts(rows_[pos_], from, after)) ++pos_;
    before_ = before;
    left_ = limit;
    return Status::Ok();
  }
  Result<bool> Next(std::string* key) override {
    if (pos_ >= rows_.size() || left_ == 0) return false;
    if (before_ && std::get<0>(rows_[pos_]) >= *before_) return false;
    ++rows;
    --left_;
    current_ = rows_[pos_++];
    *key = std::get<0>(current_);
    return true;
  }
  Result<core::UploadRecord> Current() override {
    core::UploadRecord u;
    u.key = std::get<0>(current_);
    u.initiated = TimePoint(std::chrono::milliseconds(std::get<1>(current_)));
    u.upload_id = std::get<2>(current_);
    return u;
  }

  int seeks = 0;
  int rows = 0;

 private:
  static bool Starts(const Row& row, const std::string& from,
                     const std::optional<UploadCursor>& after) {
    if (!after) return std::get<0>(row) >= from;
    return row > Row{after->key, after->initiated.time_since_epoch().count(), after->upload_id};
  }

  std::vector<Row> rows_;
  size_t pos_ = 0;
  std::optional<std::string> before_;
  uint64_t left_ = 0;
  Row current_;
};

std::vector<std::string> UploadIds(const core::UploadsPage& page) {
  std::vector<std::string> out;
  for (const core::UploadRecord& u : page.uploads) out.push_back(u.upload_id);
  return out;
}

TEST(WalkUploads, DelimiterPageSeeksOncePerCommonPrefix) {
  std::vector<Row> rows;
  for (const char* dir : {"a/", "b/", "c/"}) {
    for (int i = 0; i < 1000; ++i) rows.emplace_back(dir + std::to_string(i), i, "id");
  }
  rows.emplace_back("top", 1, "u-top");
  CountingScanner scanner(rows);
  core::UploadsQuery q;
  q.delimiter = "/";
  Result<core::UploadsPage> page = WalkUploads(q, std::nullopt, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->common_prefixes, (std::vector<std::string>{"a/", "b/", "c/"}));
  EXPECT_EQ(UploadIds(*page), (std::vector<std::string>{"u-top"}));
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(scanner.seeks, 4);
  EXPECT_EQ(scanner.rows, 4);
}

TEST(WalkUploads, BothMarkersResumeAfterTheNamedUpload) {
  CountingScanner scanner({{"k", 1, "u1"}, {"k", 2, "u2"}, {"k", 2, "u3"}, {"l", 0, "u4"}});
  core::UploadsQuery q;
  q.key_marker = "k";
  q.upload_id_marker = "u2";
  Result<core::UploadsPage> page = WalkUploads(q, TimePoint(std::chrono::milliseconds(2)), scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(UploadIds(*page), (std::vector<std::string>{"u3", "u4"}));
}

TEST(WalkUploads, KeyMarkerBeforeThePrefixStartsAtThePrefix) {
  CountingScanner scanner({{"a", 1, "u1"}, {"p/1", 1, "u2"}, {"p/2", 1, "u3"}, {"q", 1, "u4"}});
  core::UploadsQuery q;
  q.prefix = "p/";
  q.key_marker = "a";
  q.upload_id_marker = "u1";
  Result<core::UploadsPage> page = WalkUploads(q, TimePoint(std::chrono::milliseconds(1)), scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(UploadIds(*page), (std::vector<std::string>{"u2", "u3"}));
}

TEST(WalkUploads, TruncationReadsOneRowPastThePage) {
  CountingScanner scanner({{"a", 1, "u1"}, {"b", 1, "u2"}, {"c", 1, "u3"}, {"d", 1, "u4"}});
  core::UploadsQuery q;
  q.max_uploads = 2;
  Result<core::UploadsPage> page = WalkUploads(q, std::nullopt, scanner);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(UploadIds(*page), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_key_marker, "b");
  EXPECT_EQ(page->next_upload_id_marker, "u2");
  EXPECT_EQ(scanner.rows, 3);
}

}  // namespace
}  // namespace cairn::meta
