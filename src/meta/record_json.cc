// JSON column codecs; see record_json.h for the formats. nlohmann::json reports bad input by
// throwing, so each function turns exceptions into the Status its callers expect.
#include "meta/record_json.h"

#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cairn::meta {
namespace {

using nlohmann::json;

// dump() throws on strings that are not UTF-8; the store must refuse them rather than rewrite
// them (the replacing error handler would silently change a user's metadata).
Result<std::string> Dump(const json& value, std::string_view what) {
  try {
    return value.dump();
  } catch (const std::exception&) {
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " is not valid UTF-8");
  }
}

Error Damaged(std::string_view what, const std::exception& e) {
  return Error(ErrorCode::kStorageCorruption,
               "stored " + std::string(what) + " does not parse: " + e.what());
}

// get<uint64_t>() would turn a stored -1 into 2^64-1; a size or offset must be stored unsigned.
uint64_t Unsigned(const json& value) {
  if (!value.is_number_unsigned()) throw std::invalid_argument("expected an unsigned integer");
  return value.get<uint64_t>();
}

// The core::HttpMetadata members and their names in the upload metadata object, in one table so the
// encoder and decoder cannot disagree.
constexpr std::pair<const char*, std::string core::HttpMetadata::*> kHttpMembers[] = {
    {"content_type", &core::HttpMetadata::content_type},
    {"content_disposition", &core::HttpMetadata::content_disposition},
    {"content_encoding", &core::HttpMetadata::content_encoding},
    {"content_language", &core::HttpMetadata::content_language},
    {"cache_control", &core::HttpMetadata::cache_control},
    {"expires", &core::HttpMetadata::expires},
};

}  // namespace

Result<std::string> EncodeUserMetadata(const UserMetadata& metadata) {
  json out = json::array();
  for (const auto& [name, value] : metadata) out.push_back(json::array({name, value}));
  return Dump(out, "user metadata");
}

Result<UserMetadata> DecodeUserMetadata(std::string_view text) {
  try {
    UserMetadata out;
    for (const json& pair : json::parse(text)) {
      out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    }
    return out;
  } catch (const std::exception& e) {
    return Damaged("user metadata", e);
  }
}

Result<std::string> EncodeChecksums(const std::map<std::string, std::string>& checksums) {
  json out = json::object();
  for (const auto& [algorithm, value] : checksums) out[algorithm] = value;
  return Dump(out, "checksum");
}

Result<std::map<std::string, std::string>> DecodeChecksums(std::string_view text) {
  try {
    return json::parse(text).get<std::map<std::string, std::string>>();
  } catch (const std::exception& e) {
    return Damaged("checksums", e);
  }
}

Result<std::string> EncodeParts(const std::vector<core::ObjectPart>& parts) {
  json out = json::array();
  for (const core::ObjectPart& part : parts) {
    if (part.checksums.empty()) {
      out.push_back(part.size);
    } else {
      out.push_back(json{{"size", part.size}, {"checksums", part.checksums}});
    }
  }
  return Dump(out, "part checksum");
}

Result<std::vector<core::ObjectPart>> DecodeParts(std::string_view text) {
  try {
    std::vector<core::ObjectPart> out;
    for (const json& part : json::parse(text)) {
      if (!part.is_object()) {
        out.push_back(core::ObjectPart{Unsigned(part), {}});
        continue;
      }
      core::ObjectPart decoded{Unsigned(part.at("size")), {}};
      if (auto it = part.find("checksums"); it != part.end()) {
        decoded.checksums = it->get<std::map<std::string, std::string>>();
      }
      out.push_back(std::move(decoded));
    }
    return out;
  } catch (const std::exception& e) {
    return Damaged("parts", e);
  }
}

Result<std::string> EncodeExtents(const std::vector<core::Extent>& extents) {
  json out = json::array();
  for (const core::Extent& e : extents) out.push_back(json::array({e.blob_id, e.offset, e.length}));
  return Dump(out, "blob id");
}

Result<std::vector<core::Extent>> DecodeExtents(std::string_view text) {
  try {
    std::vector<core::Extent> out;
    for (const json& e : json::parse(text)) {
      out.push_back(core::Extent{e.at(0).get<std::string>(), Unsigned(e.at(1)), Unsigned(e.at(2))});
    }
    return out;
  } catch (const std::exception& e) {
    return Damaged("extents", e);
  }
}

Result<std::string> EncodeUploadMetadata(const core::UploadRecord& upload) {
  json out = json::object();
  for (const auto& [name, member] : kHttpMembers) out[name] = upload.http.*member;
  json user = json::array();
  for (const auto& [name, value] : upload.user_metadata) user.push_back(json::array({name, value}));
  out["user_metadata"] = std::move(user);
  out["storage_class"] = upload.storage_class;
  return Dump(out, "upload metadata");
}

Status DecodeUploadMetadata(std::string_view text, core::UploadRecord* upload) {
  try {
    const json in = json::parse(text);
    if (!in.is_object()) throw std::invalid_argument("expected an object");
    core::HttpMetadata http;
    for (const auto& [name, member] : kHttpMembers) {
      if (auto it = in.find(name); it != in.end()) http.*member = it->get<std::string>();
    }
    UserMetadata user;
    if (auto it = in.find("user_metadata"); it != in.end()) {
      for (const json& pair : *it) {
        user.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
      }
    }
    std::string storage_class = "STANDARD";
    if (auto it = in.find("storage_class"); it != in.end()) storage_class = it->get<std::string>();
    upload->http = std::move(http);
    upload->user_metadata = std::move(user);
    upload->storage_class = std::move(storage_class);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Damaged("upload metadata", e);
  }
}

}  // namespace cairn::meta
