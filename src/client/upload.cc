// Bucket::upload: the high-level upload of a file or a stream. Small inputs go up in one PUT;
// larger ones as a multipart upload cut by R2's rules (client/part_plan.h), `concurrency` parts
// at a time, each worker thread on its own pooled connection. Every part is hashed while it is
// sent and its ETag checked against that MD5, so a corrupted part is retried like a failed one.
// Resuming (resumeUploadId) keeps the parts already on the server whose size and MD5 match the
// local bytes, and sends only the others. On failure the upload is aborted unless the caller
// asked to keep its parts (to resume later).
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "cairn/client.h"
#include "client/body_source.h"
#include "client/client_impl.h"
#include "client/multipart_internal.h"
#include "client/object_headers.h"
#include "client/part_plan.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn {
namespace {

using client::ListedPart;
using client::UploadTarget;

// Stream uploads cannot size their parts from the total; 16 MiB parts allow 156 GiB.
constexpr uint64_t kDefaultStreamPartSize = 16ull << 20;

// A part whose ETag is not the MD5 of what was sent: damaged on the way, worth sending again.
class DigestMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The source of a part, hashed as it is read. Rewind starts both again.
class Md5Tee : public Body::Source {
 public:
  explicit Md5Tee(std::shared_ptr<Body::Source> inner) : inner_(std::move(inner)) { Rewind(); }
  std::optional<uint64_t> Size() const override { return inner_->Size(); }
  size_t Read(char* out, size_t n) override {
    n = inner_->Read(out, n);
    md5_->Update(out, n);
    return n;
  }
  bool Rewindable() const override { return inner_->Rewindable(); }
  void Rewind() override {
    inner_->Rewind();
    md5_ = MakeMd5Hasher();
  }
  std::string FinishHex() { return HexEncode(md5_->Finish()); }

 private:
  std::shared_ptr<Body::Source> inner_;
  std::unique_ptr<Hasher> md5_;
};

bool Retryable(const S3Error& e) {
  return e.http_status() >= 500 || e.http_status() == 429 || e.http_status() == 408 ||
         e.code() == "RequestTimeout" || e.code() == "BadDigest" || e.code() == "IncompleteBody";
}

std::string Md5HexOf(Body body) {
  std::unique_ptr<Hasher> md5 = MakeMd5Hasher();
  std::string buffer(1 << 20, '\0');
  while (size_t n = body.Read(buffer.data(), buffer.size())) md5->Update(buffer.data(), n);
  return HexEncode(md5->Finish());
}

// Reads up to `size` bytes of `in`; fewer only at its end.
std::string ReadUpTo(std::istream& in, uint64_t size) {
  std::string buffer(size, '\0');
  uint64_t got = 0;
  while (got < size && in.good()) {
    in.read(buffer.data() + got, static_cast<std::streamsize>(size - got));
    got += static_cast<uint64_t>(in.gcount());
  }
  if (in.bad()) throw std::runtime_error("cannot read the input stream");
  buffer.resize(got);
  return buffer;
}

// The state of one multipart upload in progress: the parts done, progress, the first failure.
class MultipartRun {
 public:
  MultipartRun(Client::Impl& impl, UploadTarget target, const UploadOptions& options)
      : impl_(impl), target_(std::move(target)), options_(options) {}

  const UploadTarget& target() const { return target_; }
  bool failed() const { return failed_.load(); }

  void SetTotals(uint64_t bytes, uint32_t parts) {
    std::lock_guard lock(mutex_);
    progress_.bytesTotal = bytes;
    progress_.partsTotal = parts;
  }

  // A part already on the server and matching the local bytes.
  void Keep(uint32_t number, std::string etag, uint64_t size) {
    Done(number, std::move(etag), size);
  }

  // Sends part `number` from `body` (rewindable), retrying as the options allow.
  void Send(uint32_t number, Body body) {
    auto tee = std::make_shared<Md5Tee>(BodyAccess::SharedSourceOf(body));
    Body hashed = BodyAccess::Make(tee);
    const uint64_t size = body.size().value_or(0);
    for (unsigned attempt = 0;; ++attempt) {
      try {
        tee->Rewind();
        UploadedPart part = client::UploadPart(impl_, target_, number, hashed);
        const std::string md5 = tee->FinishHex();
        if (part.etag.size() == 32 && part.etag != md5) {
          throw DigestMismatch("part " + std::to_string(number) + ": the server's ETag " +
                               part.etag + " is not the MD5 " + md5 + " of the bytes sent");
        }
        Done(number, part.etag, size);
        return;
      } catch (const S3Error& e) {
        if (!Retryable(e) || attempt >= options_.maxRetries || failed()) throw;
      } catch (const TransportError&) {
        if (attempt >= options_.maxRetries || failed()) throw;
      } catch (const DigestMismatch&) {
        if (attempt >= options_.maxRetries || failed()) throw;
      }
      // Back off: 250 ms, 500 ms, 1 s... at most 8 s.
      std::this_thread::sleep_for(std::chrono::milliseconds(250) * (1u << std::min(attempt, 5u)));
    }
  }

  // Records the first failure; the others stop taking new parts.
  void Fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    failed_ = true;
  }

  // Completes, or on failure aborts (unless keepPartsOnFailure) and rethrows the first error.
  ObjectInfo Finish() {
    if (!error_) {
      try {
        std::vector<UploadedPart> parts;
        for (const auto& [number, etag] : etags_) parts.push_back(UploadedPart{number, etag});
        return client::CompleteUpload(impl_, target_, std::move(parts), options_.onlyIf);
      } catch (...) {
        error_ = std::current_exception();
      }
    }
    if (!options_.keepPartsOnFailure) {
      try {
        client::AbortUpload(impl_, target_);
      } catch (...) {
        // The upload's own error matters more; the lifecycle sweep removes the parts in 7 days.
      }
    }
    std::rethrow_exception(error_);
  }

 private:
  void Done(uint32_t number, std::string etag, uint64_t size) {
    std::lock_guard lock(mutex_);
    etags_[number] = std::move(etag);
    progress_.bytesDone += size;
    progress_.partsDone += 1;
    // Calls are serialised, so a progress bar need not be thread-safe.
    if (options_.onProgress) options_.onProgress(progress_);
  }

  Client::Impl& impl_;
  const UploadTarget target_;
  const UploadOptions& options_;
  std::mutex mutex_;
  std::map<uint32_t, std::string> etags_;
  UploadProgress progress_;
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
};

// Starts the multipart upload, or looks up the parts of the one being resumed (by number).
std::map<uint32_t, ListedPart> Begin(Bucket& bucket, Client::Impl& impl, const std::string& key,
                                     const UploadOptions& options, std::string& upload_id) {
  std::map<uint32_t, ListedPart> existing;
  if (options.resumeUploadId) {
    upload_id = *options.resumeUploadId;
    for (ListedPart& p : client::ListAllParts(impl, {bucket.name(), key, upload_id})) {
      existing[p.part_number] = std::move(p);
    }
  } else {
    upload_id = bucket.createMultipartUpload(key, options).uploadId();
  }
  return existing;
}

void RunWorkers(unsigned count, const std::function<void()>& work) {
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < count; ++i) threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
}

[[noreturn]] void ThrowPreconditionFailed(const std::string& key) {
  throw S3Error("PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold for " + key, 412,
                "");
}

}  // namespace

ObjectInfo Bucket::upload(const std::string& key, const std::string& file,
                          const UploadOptions& options) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    throw std::runtime_error("cannot read " + file + ": " + std::strerror(errno));
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (!options.resumeUploadId &&
      size <= std::min(options.multipartThreshold, client::kMaxPartSize)) {
    std::optional<ObjectInfo> info = put(key, Body::FromFile(file), options);
    if (!info) ThrowPreconditionFailed(key);
    if (options.onProgress) options.onProgress(UploadProgress{size, size, 1, 1});
    return *info;
  }

  const client::PartPlan plan = client::PlanParts(size, options.partSize);
  Client::Impl& impl = client_->impl();
  std::string upload_id;
  std::map<uint32_t, ListedPart> existing = Begin(*this, impl, key, options, upload_id);
  MultipartRun run(impl, {name_, key, upload_id}, options);
  run.SetTotals(size, plan.part_count);

  std::atomic<uint32_t> next{1};
  RunWorkers(std::clamp(options.concurrency, 1u, plan.part_count), [&] {
    while (!run.failed()) {
      const uint32_t number = next++;
      if (number > plan.part_count) return;
      try {
        const uint64_t part_size = plan.SizeOf(number);
        Body body = Body::FromFile(file, plan.OffsetOf(number), part_size);
        auto found = existing.find(number);
        if (found != existing.end() && found->second.size == part_size &&
            found->second.etag == Md5HexOf(body)) {
          run.Keep(number, found->second.etag, part_size);
          continue;
        }
        body.Rewind();
        run.Send(number, std::move(body));
      } catch (...) {
        run.Fail(std::current_exception());
      }
    }
  });
  return run.Finish();
}

ObjectInfo Bucket::upload(const std::string& key, std::istream& in, const UploadOptions& options) {
  uint64_t part_size = options.partSize ? options.partSize : kDefaultStreamPartSize;
  client::PlanParts(part_size, part_size);  // checks the size against R2's bounds
  std::string first = ReadUpTo(in, part_size);
  if (!options.resumeUploadId && first.size() < part_size) {
    const uint64_t size = first.size();
    std::optional<ObjectInfo> info = put(key, Body::FromString(std::move(first)), options);
    if (!info) ThrowPreconditionFailed(key);
    if (options.onProgress) options.onProgress(UploadProgress{size, size, 1, 1});
    return *info;
  }

  Client::Impl& impl = client_->impl();
  std::string upload_id;
  std::map<uint32_t, ListedPart> existing = Begin(*this, impl, key, options, upload_id);
  MultipartRun run(impl, {name_, key, upload_id}, options);

  // The reader (this thread) fills at most `concurrency` part buffers; the workers send them.
  // A buffer slot is freed when its part is done, which bounds memory to concurrency x part size.
  const unsigned workers = std::max(1u, options.concurrency);
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::pair<uint32_t, std::string>> queue;
  unsigned buffers = 1;  // `first` holds the first slot
  bool reading_done = false;

  std::vector<std::thread> threads;
  for (unsigned i = 0; i < workers; ++i) {
    threads.emplace_back([&] {
      for (;;) {
        std::pair<uint32_t, std::string> task;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return !queue.empty() || reading_done || run.failed(); });
          if (queue.empty() || run.failed()) return;
          task = std::move(queue.front());
          queue.pop_front();
        }
        try {
          run.Send(task.first, Body::FromString(std::move(task.second)));
        } catch (...) {
          run.Fail(std::current_exception());
        }
        {
          std::lock_guard lock(mutex);
          --buffers;
        }
        changed.notify_all();
      }
    });
  }

  uint64_t total = 0;
  uint32_t number = 0;
  try {
    // A slot is taken before a part is read and given back when it has been sent (or found on
    // the server already).
    std::string buffer = std::move(first);
    for (;;) {
      ++number;
      if (number > client::kMaxParts) {
        throw std::invalid_argument("the stream needs more than 10,000 parts of " +
                                    std::to_string(part_size) + " bytes; give a larger partSize");
      }
      const bool last = buffer.size() < part_size;
      total += buffer.size();
      auto found = existing.find(number);
      const bool keep = found != existing.end() && found->second.size == buffer.size() &&
                        found->second.etag == HexEncode(Md5(buffer));
      if (keep) run.Keep(number, found->second.etag, buffer.size());
      {
        std::lock_guard lock(mutex);
        if (keep) {
          --buffers;
        } else {
          queue.emplace_back(number, std::move(buffer));
        }
      }
      changed.notify_all();
      if (last) break;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return buffers < workers || run.failed(); });
        if (run.failed()) break;
        ++buffers;
      }
      buffer = ReadUpTo(in, part_size);
      if (buffer.empty()) break;  // the stream ended on a part boundary
    }
  } catch (...) {
    run.Fail(std::current_exception());
  }
  {
    std::lock_guard lock(mutex);
    reading_done = true;
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  run.SetTotals(total, number);
  return run.Finish();
}

}  // namespace cairn
