// The ListMultipartUploads page algorithm, apart from any engine (the uploads counterpart of
// list_walk.h). An engine supplies an UploadScanner over one bucket's uploads in listing order,
// (key in byte order, initiation time, upload id); WalkUploads turns it into one S3 page: prefix,
// key-marker / upload-id-marker, common prefixes, and max-uploads truncation.
//
// Markers, as S3 defines them: with only a key marker, the page starts at the uploads of the
// first key after it; with an upload-id marker too, it starts right after that upload, among the
// later uploads of the same key (an upload-id marker without a key marker is ignored). When the
// named upload is gone (completed or aborted since the previous page) the walk cannot tell where
// it stood, so it lists all uploads of the marker key again: repeating a few uploads is better
// than skipping some. As in list_walk.h, the walk seeks past each common prefix it emits, so a
// page costs at most max_uploads + 1 seeks whatever the bucket holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "core/records.h"

namespace cairn::meta {

// An upload's place in listing order.
struct UploadCursor {
  std::string key;
  TimePoint initiated;
  std::string upload_id;
};

// An ordered scan over one bucket's uploads. Not thread-safe; one walk at a time.
class UploadScanner {
 public:
  virtual ~UploadScanner() = default;
  // (Re)starts the scan at the first upload whose key is >= `from` or, when `after` is set (its
  // key is then `from`), at the first upload that follows *after in listing order; and, when
  // `before` is set, stops at the first key >= *before. `limit` is how many rows the walk may
  // still read; engines may use it as a LIMIT.
  virtual Status Seek(const std::string& from, const std::optional<UploadCursor>& after,
                      const std::optional<std::string>& before, uint64_t limit) = 0;
  // Advances to the next upload and sets its key; false at the end of the range.
  virtual Result<bool> Next(std::string* key) = 0;
  // The record of the upload Next() returned last (called only for uploads the page returns).
  virtual Result<core::UploadRecord> Current() = 0;
};

// Produces one page for `query`. `marker_initiated` is the initiation time of
// query.upload_id_marker when that names an upload of query.key_marker in this bucket, nullopt
// otherwise (the engine looks it up). The next markers are the last upload returned, or the last
// common prefix (with an empty upload-id marker) when the page ends with one.
Result<core::UploadsPage> WalkUploads(const core::UploadsQuery& query,
                                      const std::optional<TimePoint>& marker_initiated,
                                      UploadScanner& scanner);

}  // namespace cairn::meta
