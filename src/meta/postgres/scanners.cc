#include "meta/postgres/scanners.h"

#include <algorithm>
#include <limits>

#include "meta/postgres/rows.h"

namespace cairn::meta::postgres {
namespace {

constexpr uint64_t kFirstChunk = 8;
constexpr uint64_t kMaxChunk = 1000;

// What both scanners share: the current chunk, the rows the walk may still read, and when to
// fetch the next chunk. `Fetch(n)` runs the query for the next n rows, after the last row read
// when there is one.
class ChunkedScan {
 public:
  void Restart(uint64_t limit) {
    remaining_ = limit;
    chunk_size_ = kFirstChunk;
    rows_.reset();
    index_ = -1;
    exhausted_ = false;
  }

  // Advances to the next row, fetching a chunk when needed; false at the end of the range.
  template <typename FetchFn>
  Result<bool> Advance(const FetchFn& fetch) {
    if (rows_ && index_ + 1 < rows_->size()) {
      ++index_;
      return true;
    }
    if (exhausted_ || remaining_ == 0) return false;
    const uint64_t n = std::min(chunk_size_, remaining_);
    Result<Rows> rows = fetch(static_cast<int64_t>(n));
    if (!rows.ok()) return rows.error();
    rows_.emplace(std::move(*rows));
    remaining_ -= static_cast<uint64_t>(rows_->size());
    exhausted_ = static_cast<uint64_t>(rows_->size()) < n;
    chunk_size_ = std::min(chunk_size_ * 4, kMaxChunk);
    index_ = 0;
    return rows_->size() > 0;
  }

  // Lets the scan go on from where it is, as far as `limit` more rows: for a seek to exactly the
  // place the next rows already start.
  void Extend(uint64_t limit) { remaining_ = limit; }

  bool started() const { return rows_.has_value() && rows_->size() > 0; }
  const Rows& rows() const { return *rows_; }
  int index() const { return index_; }

 private:
  uint64_t remaining_ = 0;
  uint64_t chunk_size_ = kFirstChunk;
  std::optional<Rows> rows_;
  int index_ = -1;
  bool exhausted_ = false;
};

class PgKeyScanner final : public KeyScanner {
 public:
  PgKeyScanner(Connection& c, const std::string& bucket, std::optional<PrefixSkip> skip)
      : c_(c), bucket_(bucket), skip_(std::move(skip)) {}

  Status Seek(const std::string& from, const std::optional<std::string>& before,
              uint64_t limit) override {
    // The walk seeks past the common prefix it just read: the rows that follow already start
    // there when the query followed the same skip.
    if (skip_ && scan_.started() && before == before_ && from == NextBound(CurrentKey())) {
      scan_.Extend(limit);
      return Status::Ok();
    }
    from_ = from;
    before_ = before;
    scan_.Restart(limit);
    return Status::Ok();
  }

  Result<bool> Next(std::string* key) override {
    Result<bool> row = scan_.Advance([&](int64_t n) -> Result<Rows> {
      if (scan_.started()) from_ = NextBound(CurrentKey());
      Params params;
      params.Text(bucket_).Bytes(from_).Int(n).Bytes(before_.value_or(""));
      if (skip_) {
        params.Int(static_cast<int64_t>(skip_->prefix.size())).Bytes(skip_->delimiter);
        return c_.Exec(before_ ? kSkipping[1] : kSkipping[0], params);
      }
      return c_.Exec(before_ ? kPlain[1] : kPlain[0], params);
    });
    if (row.ok() && *row) *key = CurrentKey();
    return row;
  }

  Result<core::ObjectRecord> Current() override {
    return ReadObjectRow(scan_.rows(), scan_.index(), bucket_, /*with_extents=*/false);
  }

 private:
  std::string CurrentKey() const { return scan_.rows().Bytes(scan_.index(), 0); }

  // Where the walk goes after `key`: past its common prefix, or to the next byte string.
  std::string NextBound(const std::string& key) const {
    if (skip_) {
      const size_t pos = key.find(skip_->delimiter, skip_->prefix.size());
      if (pos != std::string::npos) {
        return *PrefixSuccessor(std::string_view(key).substr(0, pos + skip_->delimiter.size()));
      }
    }
    return key + std::string(1, '\0');
  }

  // $1 bucket, $2 first key, $3 rows, $4 upper bound (used only by the bounded forms).
  static inline const std::string kSelect =
      "SELECT " + std::string(kObjectColumns) + " FROM objects WHERE bucket = $1 AND key >= $2";
  static inline const std::string kPlain[2] = {kSelect + " ORDER BY key LIMIT $3",
                                               kSelect + " AND key < $4 ORDER BY key LIMIT $3"};
  // The same walk as NextBound, in SQL ($5 the prefix's length, $6 the delimiter): each step is
  // the first key at or after the previous step's bound. Its common prefix's successor is the
  // prefix with its last byte (the delimiter's, never 0xFF) incremented. Each step's row is then
  // fetched by its key in a LATERAL subquery: its LIMIT keeps the planner from turning that into
  // a join, which it would do as a hash join over every object of the bucket.
  static std::string Skipping(const std::string& upper) {
    return "WITH RECURSIVE chain(step, chain_key) AS ("
           "(SELECT 1, key FROM objects WHERE bucket = $1 AND key >= $2" +
           upper +
           " ORDER BY key LIMIT 1)"
           " UNION ALL"
           " SELECT step + 1, (SELECT key FROM objects WHERE bucket = $1 AND key >= next.bound" +
           upper +
           " ORDER BY key LIMIT 1)"
           " FROM chain, LATERAL (SELECT CASE WHEN found.at = 0 THEN chain_key || '\\x00'::bytea"
           " ELSE set_byte(substring(chain_key FROM 1 FOR found.cut), found.cut - 1,"
           " get_byte(chain_key, found.cut - 1) + 1) END AS bound"
           " FROM (SELECT position($6 IN substring(chain_key FROM $5::int + 1)) AS at,"
           " $5::int + position($6 IN substring(chain_key FROM $5::int + 1)) + length($6) - 1"
           " AS cut) AS found) AS next"
           " WHERE chain_key IS NOT NULL AND step < $3)"
           " SELECT " +
           std::string(kObjectColumns) + " FROM chain CROSS JOIN LATERAL (SELECT " +
           std::string(kObjectColumns) +
           " FROM objects WHERE bucket = $1 AND key = chain_key LIMIT 1) AS o ORDER BY step";
  }
  static inline const std::string kSkipping[2] = {Skipping(""), Skipping(" AND key < $4")};

  Connection& c_;
  const std::string bucket_;
  const std::optional<PrefixSkip> skip_;
  std::string from_;
  std::optional<std::string> before_;
  ChunkedScan scan_;
};

class PgUploadScanner final : public UploadScanner {
 public:
  PgUploadScanner(Connection& c, const std::string& bucket) : c_(c), bucket_(bucket) {}

  Status Seek(const std::string& from, const std::optional<UploadCursor>& after,
              const std::optional<std::string>& before, uint64_t limit) override {
    from_ = from;
    after_ = after;
    before_ = before;
    scan_.Restart(limit);
    return Status::Ok();
  }

  Result<bool> Next(std::string* key) override {
    Result<bool> row = scan_.Advance([&](int64_t n) -> Result<Rows> {
      if (scan_.started()) {
        const Rows& rows = scan_.rows();
        const int i = scan_.index();
        after_ = UploadCursor{rows.Bytes(i, 2), FromMillis(rows.Int(i, 3)), rows.Bytes(i, 0)};
        from_ = after_->key;
      }
      // `key >= $2` stays beside the row-value test so the planner seeks the index by key.
      static const std::string select =
          "SELECT " + std::string(kUploadColumns) + " FROM uploads WHERE bucket = $1 AND key >= $2";
      static const std::string kAfter = " AND (key, initiated_ms, upload_id) > ($2, $5, $6)";
      static const std::string kBefore = " AND key < $4";
      static const std::string kOrder = " ORDER BY key, initiated_ms, upload_id LIMIT $3";
      static const std::string sqls[2][2] = {
          {select + kOrder, select + kBefore + kOrder},
          {select + kAfter + kOrder, select + kAfter + kBefore + kOrder},
      };
      Params params;
      // $4 to $6 are always bound (to something unused when absent) so one numbering serves all.
      params.Text(bucket_).Bytes(from_).Int(n).Bytes(before_.value_or(""));
      params.Int(after_ ? ToMillis(after_->initiated) : 0).Text(after_ ? after_->upload_id : "");
      return c_.Exec(sqls[after_ ? 1 : 0][before_ ? 1 : 0], params);
    });
    if (row.ok() && *row) *key = scan_.rows().Bytes(scan_.index(), 2);
    return row;
  }

  Result<core::UploadRecord> Current() override {
    return ReadUploadRow(scan_.rows(), scan_.index());
  }

 private:
  Connection& c_;
  const std::string bucket_;
  std::string from_;
  std::optional<UploadCursor> after_;
  std::optional<std::string> before_;
  ChunkedScan scan_;
};

}  // namespace

std::optional<PrefixSkip> PrefixSkipFor(const core::ListQuery& query) {
  if (query.delimiter.empty() || static_cast<unsigned char>(query.delimiter.back()) == 0xFF) {
    return std::nullopt;
  }
  return PrefixSkip{query.prefix, query.delimiter};
}

std::unique_ptr<KeyScanner> MakeKeyScanner(Connection& c, const std::string& bucket,
                                           std::optional<PrefixSkip> skip) {
  return std::make_unique<PgKeyScanner>(c, bucket, std::move(skip));
}

std::unique_ptr<UploadScanner> MakeUploadScanner(Connection& c, const std::string& bucket) {
  return std::make_unique<PgUploadScanner>(c, bucket);
}

}  // namespace cairn::meta::postgres
