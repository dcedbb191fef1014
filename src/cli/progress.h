// The upload progress bar: drawn on stderr, and only when stderr is a terminal, so that scripts and
// logs get the final result line and nothing else. Fed by Bucket::upload's progress callback, which
// runs on the upload's worker threads; redraws are limited to a few per second.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "cairn/options.h"

namespace cairn::cli {

class ProgressBar {
 public:
  // `enabled` false: every call does nothing (see StderrIsTerminal).
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();  // Finish()

  void Update(const UploadProgress& progress);  // thread-safe
  // Clears the bar's line, so the result line that follows stands alone.
  void Finish();

  // The line for `progress` `elapsed` into the upload, `width` columns wide (exposed for tests).
  static std::string Render(const std::string& label, const UploadProgress& progress,
                            std::chrono::duration<double> elapsed, int width);

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

bool StderrIsTerminal();

}  // namespace cairn::cli
