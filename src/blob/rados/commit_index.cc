#include "blob/rados/commit_index.h"

#include <cerrno>
#include <charconv>
#include <optional>

namespace cairn::blob::rados {
namespace {

constexpr std::string_view kIndexPrefix = "cairn.index.";
constexpr char kHex[] = "0123456789abcdef";

std::string ShardOf(std::string_view id) {
  return std::string(kIndexPrefix) + std::string(id.substr(0, 2));
}

// "<size> <stripe bytes> <committed, ms since the epoch>": text, so `rados getomapval` shows it.
std::string Encode(const BlobRecord& record) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(record.committed_at.time_since_epoch())
          .count();
  return std::to_string(record.size) + " " + std::to_string(record.stripe_bytes) + " " +
         std::to_string(ms);
}

std::optional<BlobRecord> Decode(std::string_view text) {
  uint64_t fields[3] = {};
  const char* at = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (at == end || *at != ' ') return std::nullopt;
      ++at;
    }
    auto [next, ec] = std::from_chars(at, end, fields[i]);
    if (ec != std::errc()) return std::nullopt;
    at = next;
  }
  if (at != end || fields[1] == 0) return std::nullopt;
  BlobRecord record;
  record.size = fields[0];
  record.stripe_bytes = fields[1];
  record.committed_at = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(static_cast<int64_t>(fields[2])));
  return record;
}

struct WriteOp {
  rados_write_op_t op = rados_create_write_op();
  ~WriteOp() { rados_release_write_op(op); }
};

struct ReadOp {
  rados_read_op_t op = rados_create_read_op();
  rados_omap_iter_t iter = nullptr;
  ~ReadOp() {
    if (iter != nullptr) rados_omap_get_end(iter);
    rados_release_read_op(op);
  }
};

}  // namespace

bool CommitIndex::IsIndexObject(const std::string& name) { return name.starts_with(kIndexPrefix); }

Status CommitIndex::Publish(const std::string& id, const BlobRecord& record) {
  const std::string shard = ShardOf(id);
  const std::string value = Encode(record);
  const char* keys[] = {id.c_str()};
  const char* values[] = {value.data()};
  const size_t key_lens[] = {id.size()};
  const size_t value_lens[] = {value.size()};
  WriteOp write;
  rados_write_op_omap_set2(write.op, keys, values, key_lens, value_lens, 1);
  const int rc = rados_write_op_operate(write.op, pool_->io(), shard.c_str(), nullptr, 0);
  if (rc < 0) return RadosError(rc, "publish blob " + id + " in", shard);
  return Status::Ok();
}

Result<BlobRecord> CommitIndex::Lookup(const std::string& id) {
  const std::string shard = ShardOf(id);
  const char* keys[] = {id.c_str()};
  const size_t key_lens[] = {id.size()};
  ReadOp read;
  int rval = 0;
  rados_read_op_omap_get_vals_by_keys2(read.op, keys, 1, key_lens, &read.iter, &rval);
  int rc = rados_read_op_operate(read.op, pool_->io(), shard.c_str(), 0);
  if (rc == 0) rc = rval;
  const Error missing(ErrorCode::kStorageNotFound, "blob " + id + " is missing");
  if (rc == -ENOENT) return missing;  // the shard holds no blob yet
  if (rc < 0) return RadosError(rc, "look up blob " + id + " in", shard);
  char* key = nullptr;
  char* value = nullptr;
  size_t key_len = 0, value_len = 0;
  rc = rados_omap_get_next2(read.iter, &key, &value, &key_len, &value_len);
  if (rc < 0) return RadosError(rc, "look up blob " + id + " in", shard);
  if (key == nullptr) return missing;
  std::optional<BlobRecord> record = Decode(std::string_view(value, value_len));
  if (!record) {
    return Error(ErrorCode::kStorageCorruption,
                 "rados: the record of blob " + id + " in " + shard + " does not parse");
  }
  return *record;
}

Status CommitIndex::Unpublish(const std::string& id) {
  const std::string shard = ShardOf(id);
  const char* keys[] = {id.c_str()};
  const size_t key_lens[] = {id.size()};
  WriteOp write;
  rados_write_op_omap_rm_keys2(write.op, keys, key_lens, 1);
  const int rc = rados_write_op_operate(write.op, pool_->io(), shard.c_str(), nullptr, 0);
  if (rc < 0 && rc != -ENOENT) return RadosError(rc, "unpublish blob " + id + " in", shard);
  return Status::Ok();
}

Result<std::vector<std::string>> CommitIndex::IdsAfter(const std::string& after, size_t limit) {
  std::vector<std::string> ids;
  const std::string cursor_shard = after.substr(0, 2);
  for (int first = 0; first < 16 && ids.size() < limit; ++first) {
    for (int second = 0; second < 16 && ids.size() < limit; ++second) {
      const std::string digits = {kHex[first], kHex[second]};
      if (digits < cursor_shard) continue;  // every id in it sorts before `after`
      // In the cursor's own shard, from the cursor on; in later shards, from their start.
      const std::string start_after = digits == cursor_shard ? after : "";
      const std::string shard = std::string(kIndexPrefix) + digits;
      // One shard may hold more than a page: ask again from its last key while it has more.
      std::string from = start_after;
      for (bool more = true; more && ids.size() < limit;) {
        ReadOp read;
        unsigned char has_more = 0;
        int rval = 0;
        rados_read_op_omap_get_keys2(read.op, from.c_str(), limit - ids.size(), &read.iter,
                                     &has_more, &rval);
        int rc = rados_read_op_operate(read.op, pool_->io(), shard.c_str(), 0);
        if (rc == 0) rc = rval;
        if (rc == -ENOENT) break;  // no blob was ever published in this shard
        if (rc < 0) return RadosError(rc, "list blobs in", shard);
        for (;;) {
          char* key = nullptr;
          char* value = nullptr;
          size_t key_len = 0, value_len = 0;
          rc = rados_omap_get_next2(read.iter, &key, &value, &key_len, &value_len);
          if (rc < 0) return RadosError(rc, "list blobs in", shard);
          if (key == nullptr) break;
          from.assign(key, key_len);
          ids.push_back(from);
        }
        more = has_more != 0;
      }
    }
  }
  return ids;
}

}  // namespace cairn::blob::rados
