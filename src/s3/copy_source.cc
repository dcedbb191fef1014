#include "s3/copy_source.h"

#include "common/encoding.h"

namespace cairn::s3 {

Result<CopySource> ParseCopySource(std::string_view header) {
  header = header.substr(0, header.find('?'));
  auto decoded = UrlDecode(header);
  if (!decoded) return Error(ErrorCode::kInvalidArgument, "Invalid copy source encoding.");
  std::string_view path = *decoded;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  auto slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
  }
  return CopySource{std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

}  // namespace cairn::s3
