// The multipart XML documents. Element names and order follow the Amazon S3 API reference pages of
// CreateMultipartUpload, CompleteMultipartUpload, UploadPartCopy, ListParts and
// ListMultipartUploads (response syntax, members in the order of the service model), so that
// cairn's output diffs cleanly against S3's.
#include <pugixml.hpp>

#include "common/encoding.h"
#include "common/hashing.h"
#include "common/time_format.h"
#include "s3/xml.h"
#include "s3/xml_writer.h"

namespace cairn::s3 {
namespace {

using xml_internal::Add;
using xml_internal::AddBool;
using xml_internal::AddChecksums;
using xml_internal::AddOwner;
using xml_internal::Document;
using xml_internal::LocalName;
using xml_internal::Malformed;
using xml_internal::ParseRoot;
using xml_internal::QuotedEtag;
using xml_internal::TextOf;
using xml_internal::TrimXmlSpace;

// A part number as the request wrote it: decimal digits only (XML Schema int without a sign),
// fitting 32 bits. Anything else fails the schema S3 validates against.
std::optional<uint32_t> ParsePartNumber(std::string_view text) {
  text = TrimXmlSpace(text);
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(n);
}

Result<core::RequestedPart> ParsePart(pugi::xml_node node) {
  core::RequestedPart part;
  bool has_number = false, has_etag = false;
  for (pugi::xml_node field : node.children()) {
    if (field.type() != pugi::node_element) continue;
    const std::string_view name = LocalName(field);
    const std::optional<std::string> text = TextOf(field);
    if (name == "PartNumber") {
      if (has_number) return Malformed("a Part has more than one PartNumber");
      const std::optional<uint32_t> number = text ? ParsePartNumber(*text) : std::nullopt;
      if (!number) return Malformed("PartNumber must be an integer");
      part.part_number = *number;
      has_number = true;
    } else if (name == "ETag") {
      if (has_etag) return Malformed("a Part has more than one ETag");
      if (!text) return Malformed("an ETag contains elements");
      part.etag = std::string(TrimXmlSpace(*text));
      has_etag = true;
    } else if (name.starts_with("Checksum")) {
      const std::optional<ChecksumAlgorithm> algorithm =
          ParseChecksumAlgorithm(name.substr(std::string_view("Checksum").size()));
      // ChecksumType and names S3 may add later are not part checksums.
      if (!algorithm) continue;
      if (!text) return Malformed("a checksum contains elements");
      auto [it, inserted] = part.checksums.emplace(ChecksumAlgorithmName(*algorithm),
                                                   std::string(TrimXmlSpace(*text)));
      if (!inserted) return Malformed("a Part names a checksum twice");
    }
    // Other elements are ignored, as S3 does with members it does not use.
  }
  if (!has_number) return Malformed("a Part has no PartNumber");
  if (!has_etag) return Malformed("a Part has no ETag");
  return part;
}

}  // namespace

std::string RenderInitiateMultipartUpload(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id) {
  Document doc("InitiateMultipartUploadResult", /*s3_namespace=*/true);
  Add(doc.root(), "Bucket", bucket);
  Add(doc.root(), "Key", key);
  Add(doc.root(), "UploadId", upload_id);
  return doc.Finish();
}

Result<std::vector<core::RequestedPart>> ParseCompleteMultipartUpload(std::string_view xml) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = ParseRoot(doc, xml, "CompleteMultipartUpload");
  if (!root.ok()) return root.error();
  std::vector<core::RequestedPart> parts;
  for (pugi::xml_node child : root->children()) {
    if (child.type() != pugi::node_element || LocalName(child) != "Part") continue;
    Result<core::RequestedPart> part = ParsePart(child);
    if (!part.ok()) return part.error();
    parts.push_back(*std::move(part));
  }
  return parts;
}

std::string RenderCompleteMultipartUpload(std::string_view location,
                                          const core::ObjectRecord& object) {
  Document doc("CompleteMultipartUploadResult", /*s3_namespace=*/true);
  pugi::xml_node root = doc.root();
  Add(root, "Location", location);
  Add(root, "Bucket", object.bucket);
  Add(root, "Key", object.key);
  Add(root, "ETag", QuotedEtag(object.etag));
  AddChecksums(root, object.checksums);
  if (!object.checksums.empty() && !object.checksum_type.empty()) {
    Add(root, "ChecksumType", object.checksum_type);
  }
  return doc.Finish();
}

std::string RenderCopyPartResult(const core::PartRecord& part) {
  Document doc("CopyPartResult", /*s3_namespace=*/true);
  Add(doc.root(), "ETag", QuotedEtag(part.etag));
  Add(doc.root(), "LastModified", FormatIso8601(part.last_modified));
  AddChecksums(doc.root(), part.checksums);
  return doc.Finish();
}

std::string RenderListParts(const ListPartsRender& list) {
  static const core::PartsPage kEmptyPage;
  const core::PartsPage& page = list.page != nullptr ? *list.page : kEmptyPage;

  Document doc("ListPartsResult", /*s3_namespace=*/true);
  pugi::xml_node root = doc.root();
  Add(root, "Bucket", list.bucket);
  Add(root, "Key", list.key);
  Add(root, "UploadId", list.upload_id);
  Add(root, "PartNumberMarker", list.part_number_marker);
  // ListParts: NextPartNumberMarker is "the last part in the list"; S3 sends it on every page
  // that lists a part, and the store's marker takes precedence when it set one.
  uint32_t next_marker = page.next_part_number_marker;
  if (next_marker == 0 && !page.parts.empty()) next_marker = page.parts.back().part_number;
  if (next_marker != 0) Add(root, "NextPartNumberMarker", next_marker);
  Add(root, "MaxParts", list.max_parts);
  AddBool(root, "IsTruncated", page.truncated);
  for (const core::PartRecord& part : page.parts) {
    pugi::xml_node node = root.append_child("Part");
    Add(node, "PartNumber", part.part_number);
    Add(node, "LastModified", FormatIso8601(part.last_modified));
    Add(node, "ETag", QuotedEtag(part.etag));
    Add(node, "Size", part.size);
    AddChecksums(node, part.checksums);
  }
  // One account, so the initiator is the owner.
  AddOwner(root, list.owner, "Initiator");
  AddOwner(root, list.owner);
  Add(root, "StorageClass", list.upload != nullptr ? list.upload->storage_class : "STANDARD");
  if (list.upload != nullptr && !list.upload->checksum_algorithm.empty()) {
    Add(root, "ChecksumAlgorithm", list.upload->checksum_algorithm);
    if (!list.upload->checksum_type.empty()) {
      Add(root, "ChecksumType", list.upload->checksum_type);
    }
  }
  return doc.Finish();
}

std::string RenderListUploads(const ListUploadsRender& list) {
  // ListMultipartUploads, "EncodingType": with encoding-type=url S3 encodes Delimiter, KeyMarker,
  // Prefix, NextKeyMarker and Key (and CommonPrefixes' Prefix); upload ids are never encoded.
  const bool url = list.encoding_type == "url";
  auto enc = [url](std::string_view value) {
    return url ? UriEncode(value, /*keep_slash=*/true) : std::string(value);
  };
  static const core::UploadsPage kEmptyPage;
  const core::UploadsPage& page = list.page != nullptr ? *list.page : kEmptyPage;

  Document doc("ListMultipartUploadsResult", /*s3_namespace=*/true);
  pugi::xml_node root = doc.root();
  Add(root, "Bucket", list.bucket);
  Add(root, "KeyMarker", enc(list.key_marker));
  Add(root, "UploadIdMarker", list.upload_id_marker);
  Add(root, "NextKeyMarker", enc(page.next_key_marker));
  Add(root, "Prefix", enc(list.prefix));
  if (!list.delimiter.empty()) Add(root, "Delimiter", enc(list.delimiter));
  Add(root, "NextUploadIdMarker", page.next_upload_id_marker);
  Add(root, "MaxUploads", list.max_uploads);
  AddBool(root, "IsTruncated", page.truncated);
  for (const core::UploadRecord& upload : page.uploads) {
    pugi::xml_node node = root.append_child("Upload");
    Add(node, "UploadId", upload.upload_id);
    Add(node, "Key", enc(upload.key));
    Add(node, "Initiated", FormatIso8601(upload.initiated));
    Add(node, "StorageClass", upload.storage_class);
    AddOwner(node, list.owner);
    AddOwner(node, list.owner, "Initiator");
    if (!upload.checksum_algorithm.empty()) {
      Add(node, "ChecksumAlgorithm", upload.checksum_algorithm);
      if (!upload.checksum_type.empty()) Add(node, "ChecksumType", upload.checksum_type);
    }
  }
  for (const std::string& prefix : page.common_prefixes) {
    Add(root.append_child("CommonPrefixes"), "Prefix", enc(prefix));
  }
  if (url) Add(root, "EncodingType", "url");
  return doc.Finish();
}

}  // namespace cairn::s3
