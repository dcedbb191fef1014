// The SIGBUS reporter; see mapping_fault.h. Everything reached from the handler is
// async-signal-safe: open, read, write, close and raise, no allocation, no locks, no stdio.
#include "meta/sqlite/mapping_fault.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <string_view>

namespace cairn::meta::sqlite {
namespace {

void Say(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void SayHex(uintptr_t value) {
  char digits[2 + 2 * sizeof value];
  size_t at = sizeof digits;
  do {
    digits[--at] = "0123456789abcdef"[value & 0xf];
    value >>= 4;
  } while (value != 0);
  digits[--at] = 'x';
  digits[--at] = '0';
  Say(std::string_view(digits + at, sizeof digits - at));
}

uintptr_t ParseHex(std::string_view& text) {
  uintptr_t value = 0;
  while (!text.empty()) {
    const char c = text.front();
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      break;
    }
    value = value << 4 | static_cast<uintptr_t>(digit);
    text.remove_prefix(1);
  }
  return value;
}

// The file of a /proc/self/maps line ("start-end perms offset dev inode path") when its range
// holds `address`; empty otherwise. Only the path has a '/' (or '[' for [heap], [stack], ...).
std::string_view MappedFile(std::string_view line, uintptr_t address) {
  const uintptr_t start = ParseHex(line);
  if (line.empty() || line.front() != '-') return {};
  line.remove_prefix(1);
  const uintptr_t end = ParseHex(line);
  if (address < start || address >= end) return {};
  const size_t path = line.find_first_of("/[");
  return path == std::string_view::npos ? std::string_view("(anonymous memory)")
                                        : line.substr(path);
}

// Writes the file mapped at `address`, read from /proc/self/maps; false when none is.
bool SayMappedFile(uintptr_t address) {
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char chunk[4096];
  char line[1024];  // longer lines are cut: the start of a path is enough to tell the file
  size_t line_size = 0;
  bool found = false;
  ssize_t n;
  while (!found && (n = ::read(fd, chunk, sizeof chunk)) > 0) {
    for (ssize_t i = 0; i < n && !found; ++i) {
      if (chunk[i] != '\n') {
        if (line_size < sizeof line) line[line_size++] = chunk[i];
        continue;
      }
      const std::string_view file = MappedFile(std::string_view(line, line_size), address);
      if (!file.empty()) {
        Say(file);
        found = true;
      }
      line_size = 0;
    }
  }
  ::close(fd);
  return found;
}

void OnSigbus(int signal, siginfo_t* info, void*) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  Say("cairn: fatal: SIGBUS at ");
  SayHex(address);
  Say(" in the memory-mapped file ");
  if (!SayMappedFile(address)) Say("(none found)");
  Say(": the file shrank or its storage failed under the running process (a truncated "
      "meta.sqlite3-shm?). SQLite cannot turn this into an error, so cairn stops; restarting "
      "rebuilds the WAL index from the WAL.\n");
  // SA_RESETHAND put the default action back: the signal ends the process as it would have.
  ::raise(signal);
}

}  // namespace

void ReportMappingFaults() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current = {};
    // Another handler (a sanitizer's, an embedding program's) stays in charge.
    if (::sigaction(SIGBUS, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) return;
    struct sigaction action = {};
    action.sa_sigaction = OnSigbus;
    action.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, nullptr);
  });
}

}  // namespace cairn::meta::sqlite
