// The S3 XML documents. Element names and order follow the response syntax and examples of the
// Amazon S3 API reference pages (ListBuckets, ListObjects, ListObjectsV2, CopyObject,
// DeleteObjects, GetBucketLocation, CreateBucket, "Error responses"). SDK parsers look elements up
// by name, but matching S3's order keeps cairn's output diffable against S3's and pleases stricter
// clients.
//
// Writing goes through pugixml so escaping is never done by hand; reading uses pugixml without
// DTD processing, so a request body cannot pull in external entities. The helpers for both live
// in xml_writer.h, shared with multipart_xml.cc and lifecycle_xml.cc.
#include "s3/xml.h"

#include <pugixml.hpp>

#include "common/encoding.h"
#include "common/time_format.h"
#include "core/storage_errors.h"
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
using xml_internal::XmlSafeText;

constexpr size_t kMaxDeleteObjects = 1000;  // DeleteObjects: "up to 1,000 keys"

}  // namespace

std::string RenderError(const Error& failure, std::string_view resource,
                        std::string_view request_id, const ErrorSubject& subject) {
  // Callers pass ForClient's answer, which has logged a storage failure's detail; mapping again
  // makes sure no storage failure is ever sent as it is, nor with its detail.
  const Error error = core::ToClientError(failure);
  Document doc("Error", /*s3_namespace=*/false);
  // Messages quote what the client sent, keys and paths are its bytes: all made XML-safe.
  Add(doc.root(), "Code", LookupError(error.code).code);
  Add(doc.root(), "Message", XmlSafeText(error.Message()));
  if (error.code == ErrorCode::kNoSuchBucket && !subject.bucket.empty()) {
    Add(doc.root(), "BucketName", XmlSafeText(subject.bucket));
  }
  if (error.code == ErrorCode::kNoSuchKey && !subject.key.empty()) {
    Add(doc.root(), "Key", XmlSafeText(subject.key));
  }
  if (!resource.empty()) Add(doc.root(), "Resource", XmlSafeText(resource));
  Add(doc.root(), "RequestId", request_id);
  return doc.Finish();
}

std::string RenderListBuckets(const std::vector<core::BucketRecord>& buckets, const Owner& owner) {
  Document doc("ListAllMyBucketsResult", /*s3_namespace=*/true);
  AddOwner(doc.root(), owner);
  pugi::xml_node list = doc.root().append_child("Buckets");
  for (const core::BucketRecord& bucket : buckets) {
    pugi::xml_node node = list.append_child("Bucket");
    Add(node, "Name", bucket.name);
    Add(node, "CreationDate", FormatIso8601(bucket.created));
  }
  return doc.Finish();
}

std::string RenderLocationConstraint(std::string_view location) {
  Document doc("LocationConstraint", /*s3_namespace=*/true);
  doc.root().text().set(location.data(), location.size());
  return doc.Finish();
}

std::string RenderListObjects(const ListRender& list) {
  // ListObjects/ListObjectsV2, "EncodingType": with encoding-type=url S3 encodes Delimiter, Prefix,
  // Key and StartAfter (v2) or Marker and NextMarker (v1), so that keys with characters XML 1.0
  // cannot carry survive. '/' is left as is, as S3 does; SDKs URL-decode these fields (botocore
  // with unquote_plus, which is why '+' must be encoded too, and UriEncode does).
  const bool url = list.encoding_type == "url";
  auto enc = [url](std::string_view value) {
    return url ? UriEncode(value, /*keep_slash=*/true) : std::string(value);
  };
  const bool v1 = list.version == 1;
  static const core::ListPage kEmptyPage;
  const core::ListPage& page = list.page != nullptr ? *list.page : kEmptyPage;

  Document doc("ListBucketResult", /*s3_namespace=*/true);
  pugi::xml_node root = doc.root();
  Add(root, "Name", list.bucket);
  Add(root, "Prefix", enc(list.prefix));
  if (v1) {
    Add(root, "Marker", enc(list.marker));  // always present in v1, empty when not sent
    if (!list.next_marker.empty()) Add(root, "NextMarker", enc(list.next_marker));
  } else {
    // Tokens are opaque and not URL-encoded by S3.
    if (!list.continuation_token.empty()) {
      Add(root, "ContinuationToken", list.continuation_token);
    }
    if (!list.next_continuation_token.empty()) {
      Add(root, "NextContinuationToken", list.next_continuation_token);
    }
    if (!list.start_after.empty()) Add(root, "StartAfter", enc(list.start_after));
    // KeyCount counts keys and common prefixes alike, as MaxKeys does.
    Add(root, "KeyCount", page.objects.size() + page.common_prefixes.size());
  }
  Add(root, "MaxKeys", list.max_keys);
  if (!list.delimiter.empty()) Add(root, "Delimiter", enc(list.delimiter));
  if (url) Add(root, "EncodingType", "url");
  AddBool(root, "IsTruncated", page.truncated);

  const bool with_owner = v1 || list.fetch_owner;
  for (const core::ObjectRecord& object : page.objects) {
    pugi::xml_node node = root.append_child("Contents");
    Add(node, "Key", enc(object.key));
    Add(node, "LastModified", FormatIso8601(object.last_modified));
    Add(node, "ETag", QuotedEtag(object.etag));
    for (const auto& [algorithm, value] : object.checksums) {
      Add(node, "ChecksumAlgorithm", algorithm);
    }
    if (!object.checksums.empty() && !object.checksum_type.empty()) {
      Add(node, "ChecksumType", object.checksum_type);
    }
    Add(node, "Size", object.size);
    if (with_owner) AddOwner(node, list.owner);
    Add(node, "StorageClass", object.storage_class);
  }
  for (const std::string& prefix : page.common_prefixes) {
    Add(root.append_child("CommonPrefixes"), "Prefix", enc(prefix));
  }
  return doc.Finish();
}

std::string RenderCopyObjectResult(const core::ObjectRecord& object) {
  Document doc("CopyObjectResult", /*s3_namespace=*/true);
  Add(doc.root(), "ETag", QuotedEtag(object.etag));
  Add(doc.root(), "LastModified", FormatIso8601(object.last_modified));
  if (!object.checksums.empty() && !object.checksum_type.empty()) {
    Add(doc.root(), "ChecksumType", object.checksum_type);
  }
  AddChecksums(doc.root(), object.checksums);
  return doc.Finish();
}

std::string RenderPostResponse(std::string_view location, const core::ObjectRecord& object) {
  Document doc("PostResponse", /*s3_namespace=*/false);
  Add(doc.root(), "Location", location);
  Add(doc.root(), "Bucket", object.bucket);
  Add(doc.root(), "Key", object.key);
  Add(doc.root(), "ETag", QuotedEtag(object.etag));
  return doc.Finish();
}

Result<DeleteRequest> ParseDeleteRequest(std::string_view xml) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = ParseRoot(doc, xml, "Delete");
  if (!root.ok()) return root.error();

  DeleteRequest request;
  bool seen_quiet = false;
  for (pugi::xml_node child : root->children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = LocalName(child);
    if (name == "Quiet") {
      if (seen_quiet) return Malformed("Quiet given twice");
      seen_quiet = true;
      const std::optional<std::string> text = TextOf(child);
      const std::string_view value = text ? TrimXmlSpace(*text) : std::string_view("?");
      // xsd:boolean
      if (value == "true" || value == "1") {
        request.quiet = true;
      } else if (value == "false" || value == "0") {
        request.quiet = false;
      } else {
        return Malformed("Quiet must be true or false");
      }
    } else if (name == "Object") {
      std::optional<std::string> key;
      for (pugi::xml_node field : child.children()) {
        if (field.type() != pugi::node_element || LocalName(field) != "Key") continue;
        if (key) return Malformed("an Object has more than one Key");
        key = TextOf(field);
        if (!key) return Malformed("a Key contains elements");
      }
      if (!key) return Malformed("an Object has no Key");
      // An empty key is kept: the handler answers it with a per-key error, as S3 does.
      request.keys.push_back(std::move(*key));
      if (request.keys.size() > kMaxDeleteObjects) {
        return Malformed("more than 1000 objects");
      }
    }
    // VersionId and other elements S3 may add (ETag, LastModifiedTime, Size) are not used.
  }
  if (request.keys.empty()) return Malformed("no Object to delete");
  return request;
}

std::string RenderDeleteResult(const std::vector<DeleteOutcome>& outcomes, bool quiet) {
  // DeleteObjects: in quiet mode the response lists only the keys that could not be deleted.
  Document doc("DeleteResult", /*s3_namespace=*/true);
  for (const DeleteOutcome& outcome : outcomes) {
    if (outcome.error) {
      const Error error = core::ToClientError(*outcome.error);  // as RenderError does
      pugi::xml_node node = doc.root().append_child("Error");
      Add(node, "Key", outcome.key);
      Add(node, "Code", LookupError(error.code).code);
      Add(node, "Message", error.Message());
    } else if (!quiet) {
      Add(doc.root().append_child("Deleted"), "Key", outcome.key);
    }
  }
  return doc.Finish();
}

Result<std::optional<std::string>> ParseCreateBucketConfiguration(std::string_view xml) {
  using Parsed = Result<std::optional<std::string>>;
  if (TrimXmlSpace(xml).empty()) return Parsed(std::optional<std::string>());
  pugi::xml_document doc;
  Result<pugi::xml_node> root = ParseRoot(doc, xml, "CreateBucketConfiguration");
  if (!root.ok()) return root.error();
  for (pugi::xml_node child : root->children()) {
    if (child.type() != pugi::node_element || LocalName(child) != "LocationConstraint") continue;
    const std::optional<std::string> text = TextOf(child);
    if (!text) return Malformed("LocationConstraint contains elements");
    return Parsed(std::optional<std::string>(std::string(TrimXmlSpace(*text))));
  }
  return Parsed(std::optional<std::string>());
}

}  // namespace cairn::s3
