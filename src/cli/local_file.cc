// The local file checks of local_file.h, made with stat(2) and access(2) so that the message can
// say exactly what is wrong with the path.
#include "cli/local_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

[[noreturn]] void Fail(const std::string& path, const std::string& why) {
  throw LocalFileError("cannot read " + path + ": " + why);
}

}  // namespace

uint64_t CheckReadableFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) Fail(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) Fail(path, "it is a directory");
  if (!S_ISREG(st.st_mode)) Fail(path, "not a regular file");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) Fail(path, std::strerror(errno));
  ::close(fd);
  return static_cast<uint64_t>(st.st_size);
}

bool CheckWritableFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw LocalFileError("cannot write " + path + ": it is a directory");
    if (::access(path.c_str(), W_OK) != 0) {
      throw LocalFileError("cannot write " + path + ": " + std::strerror(errno));
    }
    return true;
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  if (::access(parent.c_str(), W_OK) != 0) {
    throw LocalFileError("cannot write " + path + ": " + parent.string() + ": " +
                         std::strerror(errno));
  }
  return false;
}

std::string ReadSmallFile(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  CheckReadableFile(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(path, std::strerror(errno));
  text << in.rdbuf();
  return text.str();
}

}  // namespace cairn::cli
