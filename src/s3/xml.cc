// The S3 XML documents. Element names and order follow the response syntax and examples of the
// Amazon S3 API reference pages (ListBuckets, ListObjects, ListObjectsV2, CopyObject,
// DeleteObjects, GetBucketLocation, CreateBucket, "Error responses"). SDK parsers look elements up
// by name, but matching S3's order keeps cairn's output diffable against S3's and pleases stricter
// clients.
//
// Writing goes through pugixml so escaping is never done by hand; reading uses pugixml without
// DTD processing, so a request body cannot pull in external entities.
#include "s3/xml.h"

#include <pugixml.hpp>

#include "common/encoding.h"
#include "common/time_format.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr size_t kMaxDeleteObjects = 1000;  // DeleteObjects: "up to 1,000 keys"

// ---- Writing ----

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

// A document under construction. Result documents carry the S3 namespace on their root; the Error
// document does not, as S3's own error bodies have none.
class Document {
 public:
  Document(const char* root_name, bool s3_namespace) {
    root_ = doc_.append_child(root_name);
    if (s3_namespace) {
      root_.append_attribute("xmlns").set_value(kS3Namespace.data(), kS3Namespace.size());
    }
  }
  pugi::xml_node root() { return root_; }

  // `<?xml ...?>` and the document on one line. Empty elements are written as <A></A>, as S3
  // does, rather than pugixml's <A />; both are the same XML.
  std::string Finish() const {
    std::string out(kDeclaration);
    StringWriter writer(&out);
    doc_.save(writer, "",
              pugi::format_raw | pugi::format_no_declaration | pugi::format_no_empty_element_tags,
              pugi::encoding_utf8);
    return out;
  }

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

pugi::xml_node Add(pugi::xml_node parent, const char* name, std::string_view value) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(value.data(), value.size());
  return node;
}

pugi::xml_node Add(pugi::xml_node parent, const char* name, uint64_t value) {
  return Add(parent, name, std::to_string(value));
}

void AddBool(pugi::xml_node parent, const char* name, bool value) {
  Add(parent, name, value ? "true" : "false");
}

std::string QuotedEtag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

void AddOwner(pugi::xml_node parent, const Owner& owner) {
  pugi::xml_node node = parent.append_child("Owner");
  Add(node, "ID", owner.id);
  Add(node, "DisplayName", owner.display_name);
}

// Algorithm names become element names ("ChecksumCRC32"); only the plain names S3 defines may.
bool IsElementSafe(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// ---- Reading ----

// pugixml does not resolve namespaces; "s3:Delete" and "Delete" name the same element for us.
std::string_view LocalName(pugi::xml_node node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The character data of an element (text and CDATA sections joined); nullopt when it has child
// elements, which no field of these documents allows.
std::optional<std::string> TextOf(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      return std::nullopt;
    }
  }
  return out;
}

std::string_view TrimXmlSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

Error Malformed(std::string_view why) {
  return Error(
      ErrorCode::kMalformedXML,
      std::string(LookupError(ErrorCode::kMalformedXML).message) + " (" + std::string(why) + ")");
}

// pugixml keeps an unknown "&name;" or a bare "&" as literal text, where an XML parser must stop
// (XML 1.0 section 4.1). Checking the raw body first keeps "not well-formed" answered with
// MalformedXML, as S3 does. CDATA sections and comments are skipped: "&" is literal there.
bool ReferencesAreWellFormed(std::string_view xml) {
  size_t i = 0;
  while ((i = xml.find_first_of("<&", i)) != std::string_view::npos) {
    const std::string_view rest = xml.substr(i);
    if (rest.starts_with("<![CDATA[") || rest.starts_with("<!--")) {
      const std::string_view close = rest[2] == '[' ? "]]>" : "-->";
      const size_t end = xml.find(close, i);
      if (end == std::string_view::npos) return false;
      i = end + close.size();
      continue;
    }
    if (rest[0] == '<') {
      ++i;
      continue;
    }
    const size_t semi = rest.find(';');
    if (semi == std::string_view::npos) return false;
    const std::string_view name = rest.substr(1, semi - 1);
    bool ok = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
    if (!ok && name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      ok = !digits.empty() &&
           digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") ==
               std::string_view::npos;
    }
    if (!ok) return false;
    i += semi + 1;
  }
  return true;
}

// Parses a request body and returns its single root element. Whitespace-only text is kept when it
// is an element's only content, so <Key>   </Key> names the key of three spaces.
Result<pugi::xml_node> ParseRoot(pugi::xml_document& doc, std::string_view xml,
                                 std::string_view root_name) {
  const unsigned int flags = pugi::parse_default | pugi::parse_ws_pcdata_single;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), flags);
  if (!parsed) return Malformed(parsed.description());
  if (!ReferencesAreWellFormed(xml)) return Malformed("an unknown entity or a bare '&'");
  pugi::xml_node root;
  for (pugi::xml_node child : doc.children()) {
    if (child.type() == pugi::node_element) {
      if (root) return Malformed("more than one root element");
      root = child;
    } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      if (!TrimXmlSpace(child.value()).empty()) return Malformed("text outside the root element");
    }
  }
  if (!root) return Malformed("no root element");
  if (LocalName(root) != root_name) {
    return Malformed("the root element must be " + std::string(root_name));
  }
  return root;
}

}  // namespace

std::string RenderError(const Error& error, std::string_view resource,
                        std::string_view request_id, const ErrorSubject& subject) {
  Document doc("Error", /*s3_namespace=*/false);
  Add(doc.root(), "Code", LookupError(error.code).code);
  Add(doc.root(), "Message", error.Message());
  if (error.code == ErrorCode::kNoSuchBucket && !subject.bucket.empty()) {
    Add(doc.root(), "BucketName", subject.bucket);
  }
  if (error.code == ErrorCode::kNoSuchKey && !subject.key.empty()) Add(doc.root(), "Key", subject.key);
  if (!resource.empty()) Add(doc.root(), "Resource", resource);
  Add(doc.root(), "RequestId", request_id);
  return doc.Finish();
}

std::string RenderListBuckets(const std::vector<meta::BucketRecord>& buckets, const Owner& owner) {
  Document doc("ListAllMyBucketsResult", /*s3_namespace=*/true);
  AddOwner(doc.root(), owner);
  pugi::xml_node list = doc.root().append_child("Buckets");
  for (const meta::BucketRecord& bucket : buckets) {
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
  static const meta::ListPage kEmptyPage;
  const meta::ListPage& page = list.page != nullptr ? *list.page : kEmptyPage;

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
  for (const meta::ObjectRecord& object : page.objects) {
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

std::string RenderCopyObjectResult(const meta::ObjectRecord& object) {
  Document doc("CopyObjectResult", /*s3_namespace=*/true);
  Add(doc.root(), "ETag", QuotedEtag(object.etag));
  Add(doc.root(), "LastModified", FormatIso8601(object.last_modified));
  if (!object.checksums.empty() && !object.checksum_type.empty()) {
    Add(doc.root(), "ChecksumType", object.checksum_type);
  }
  // The map is ordered by name, which is also S3's order: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.
  for (const auto& [algorithm, value] : object.checksums) {
    if (!IsElementSafe(algorithm)) continue;
    Add(doc.root(), ("Checksum" + algorithm).c_str(), value);
  }
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
      pugi::xml_node node = doc.root().append_child("Error");
      Add(node, "Key", outcome.key);
      Add(node, "Code", LookupError(outcome.error->code).code);
      Add(node, "Message", outcome.error->Message());
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
