// The multipart XML documents: each rendered document is parsed back with pugixml and checked in
// S3's element order; CompleteMultipartUpload bodies are parsed in the shapes SDKs send.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

TimePoint At(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

pugi::xml_node Root(pugi::xml_document& doc, const std::string& xml) {
  EXPECT_TRUE(xml.starts_with(kDecl)) << xml;
  pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << r.description() << "\n" << xml;
  pugi::xml_node root = doc.document_element();
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  return root;
}

std::vector<std::string> ChildNames(pugi::xml_node node) {
  std::vector<std::string> names;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element) names.push_back(c.name());
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(XmlInitiateMultipartUpload, BucketKeyUploadId) {
  std::string xml = RenderInitiateMultipartUpload("photos", "a&b <c>.jpg", "UPLOAD1");
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "InitiateMultipartUploadResult");
  EXPECT_EQ(ChildNames(root), (Names{"Bucket", "Key", "UploadId"}));
  EXPECT_STREQ(root.child_value("Bucket"), "photos");
  EXPECT_STREQ(root.child_value("Key"), "a&b <c>.jpg");
  EXPECT_STREQ(root.child_value("UploadId"), "UPLOAD1");
}

// Exactly what boto3 1.43 sends (captured from botocore's serializer).
TEST(XmlParseCompleteMultipartUpload, Boto3Body) {
  auto parts = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part>"
      "<PartNumber>1</PartNumber><ETag>\"bce6bf66aeb76c7040fdd5f4eccb78e6\"</ETag>"
      "<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber>"
      "<ETag>\"8165449fc15bbf43d3b674595cbcc406\"</ETag></Part></CompleteMultipartUpload>");
  ASSERT_TRUE(parts.ok()) << parts.error().Message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].part_number, 1u);
  EXPECT_EQ((*parts)[0].etag, "\"bce6bf66aeb76c7040fdd5f4eccb78e6\"");
  EXPECT_EQ((*parts)[0].checksums, (std::map<std::string, std::string>{{"CRC32", "AAAAAA=="}}));
  EXPECT_EQ((*parts)[1].part_number, 2u);
  EXPECT_EQ((*parts)[1].etag, "\"8165449fc15bbf43d3b674595cbcc406\"");
  EXPECT_TRUE((*parts)[1].checksums.empty());
}

// Go's encoder escapes quotes as &#34;, the JS SDK as &quot;; some clients pretty-print, put
// ETag first, leave the quotes off or name the namespace with a prefix.
TEST(XmlParseCompleteMultipartUpload, OtherClientShapes) {
  auto parts = ParseCompleteMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<s3:CompleteMultipartUpload xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
      "  <s3:Part>\n    <s3:ETag>&#34;aaa&#34;</s3:ETag>\n    <s3:PartNumber> 3 </s3:PartNumber>\n"
      "    <s3:ChecksumCRC64NVME>AAAAAAAAAAA=</s3:ChecksumCRC64NVME>\n  </s3:Part>\n"
      "  <s3:Part><s3:PartNumber>4</s3:PartNumber><s3:ETag>&quot;bbb&quot;</s3:ETag></s3:Part>\n"
      "  <s3:Part><s3:PartNumber>5</s3:PartNumber><s3:ETag>ccc</s3:ETag>"
      "<s3:ChecksumSHA256>x</s3:ChecksumSHA256><s3:ChecksumType>COMPOSITE</s3:ChecksumType>"
      "</s3:Part>\n"
      "</s3:CompleteMultipartUpload>\n");
  ASSERT_TRUE(parts.ok()) << parts.error().Message();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].part_number, 3u);
  EXPECT_EQ((*parts)[0].etag, "\"aaa\"");
  EXPECT_EQ((*parts)[0].checksums.at("CRC64NVME"), "AAAAAAAAAAA=");
  EXPECT_EQ((*parts)[1].etag, "\"bbb\"");
  EXPECT_EQ((*parts)[2].etag, "ccc");
  EXPECT_EQ((*parts)[2].checksums, (std::map<std::string, std::string>{{"SHA256", "x"}}));
}

// Order and duplicates are SelectParts' business (InvalidPartOrder), not the parser's.
TEST(XmlParseCompleteMultipartUpload, KeepsTheClientsOrder) {
  auto parts = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>b</ETag></Part>"
      "<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>"
      "<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].part_number, 2u);
  EXPECT_EQ((*parts)[1].part_number, 1u);
}

TEST(XmlParseCompleteMultipartUpload, EmptyListParses) {
  auto parts = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "</CompleteMultipartUpload>");
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST(XmlParseCompleteMultipartUpload, MalformedBodies) {
  for (std::string_view bad : {
           "",
           "not xml",
           "<CompleteMultipartUpload><Part>",
           "<Delete><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Delete>",
           "<CompleteMultipartUpload><Part><ETag>a</ETag></Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1.5</PartNumber><ETag>a</ETag></Part>"
           "</CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>4294967296</PartNumber><ETag>a</ETag>"
           "</Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber>"
           "<ETag>a</ETag></Part></CompleteMultipartUpload>",
           "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a&b</ETag></Part>"
           "</CompleteMultipartUpload>",
       }) {
    auto parts = ParseCompleteMultipartUpload(bad);
    ASSERT_FALSE(parts.ok()) << bad;
    EXPECT_EQ(parts.error().code, ErrorCode::kMalformedXML) << bad;
  }
}

core::ObjectRecord CompletedObject() {
  core::ObjectRecord object;
  object.bucket = "photos";
  object.key = "big/video.mp4";
  object.etag = "f77dc0eecdebcd774a2a22cb393ad2ff-2";
  object.last_modified = At(1'440'938'160'123);
  return object;
}

TEST(XmlCompleteMultipartUploadResult, WithoutChecksum) {
  std::string xml =
      RenderCompleteMultipartUpload("http://h/photos/big/video.mp4", CompletedObject());
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "CompleteMultipartUploadResult");
  EXPECT_EQ(ChildNames(root), (Names{"Location", "Bucket", "Key", "ETag"}));
  EXPECT_STREQ(root.child_value("Location"), "http://h/photos/big/video.mp4");
  EXPECT_STREQ(root.child_value("Bucket"), "photos");
  EXPECT_STREQ(root.child_value("Key"), "big/video.mp4");
  EXPECT_STREQ(root.child_value("ETag"), "\"f77dc0eecdebcd774a2a22cb393ad2ff-2\"");
}

TEST(XmlCompleteMultipartUploadResult, ChecksumThenType) {
  core::ObjectRecord object = CompletedObject();
  object.checksums["CRC64NVME"] = "AAAAAAAAAAA=";
  object.checksum_type = "FULL_OBJECT";
  std::string xml = RenderCompleteMultipartUpload("loc", object);
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_EQ(ChildNames(root),
            (Names{"Location", "Bucket", "Key", "ETag", "ChecksumCRC64NVME", "ChecksumType"}));
  EXPECT_STREQ(root.child_value("ChecksumCRC64NVME"), "AAAAAAAAAAA=");
  EXPECT_STREQ(root.child_value("ChecksumType"), "FULL_OBJECT");
}

core::PartRecord PartRecord(uint32_t number, uint64_t size) {
  core::PartRecord part;
  part.part_number = number;
  part.size = size;
  part.etag = "etag" + std::to_string(number);
  part.last_modified = At(1'440'938'160'000 + number);
  return part;
}

TEST(XmlCopyPartResult, EtagLastModifiedChecksums) {
  core::PartRecord part = PartRecord(3, 10);
  part.checksums = {{"SHA256", "s"}, {"CRC32", "c"}};
  std::string xml = RenderCopyPartResult(part);
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "CopyPartResult");
  EXPECT_EQ(ChildNames(root), (Names{"ETag", "LastModified", "ChecksumCRC32", "ChecksumSHA256"}));
  EXPECT_STREQ(root.child_value("ETag"), "\"etag3\"");
  EXPECT_STREQ(root.child_value("LastModified"), "2015-08-30T12:36:00.003Z");
}

TEST(XmlListParts, ElementsInS3Order) {
  core::UploadRecord upload;
  upload.storage_class = "STANDARD_IA";
  upload.checksum_algorithm = "CRC32";
  upload.checksum_type = "COMPOSITE";
  core::PartsPage page;
  page.parts = {PartRecord(2, 5 << 20), PartRecord(3, 100)};
  page.parts[0].checksums["CRC32"] = "AAAAAA==";
  page.truncated = true;
  page.next_part_number_marker = 3;
  ListPartsRender list;
  list.bucket = "photos";
  list.key = "k";
  list.upload_id = "U";
  list.part_number_marker = 1;
  list.max_parts = 2;
  list.owner = {"owner-id", "owner"};
  list.upload = &upload;
  list.page = &page;

  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListParts(list));
  EXPECT_STREQ(root.name(), "ListPartsResult");
  EXPECT_EQ(ChildNames(root),
            (Names{"Bucket", "Key", "UploadId", "PartNumberMarker", "NextPartNumberMarker",
                   "MaxParts", "IsTruncated", "Part", "Part", "Initiator", "Owner", "StorageClass",
                   "ChecksumAlgorithm", "ChecksumType"}));
  EXPECT_STREQ(root.child_value("PartNumberMarker"), "1");
  EXPECT_STREQ(root.child_value("NextPartNumberMarker"), "3");
  EXPECT_STREQ(root.child_value("MaxParts"), "2");
  EXPECT_STREQ(root.child_value("IsTruncated"), "true");
  pugi::xml_node part = root.child("Part");
  EXPECT_EQ(ChildNames(part),
            (Names{"PartNumber", "LastModified", "ETag", "Size", "ChecksumCRC32"}));
  EXPECT_STREQ(part.child_value("PartNumber"), "2");
  EXPECT_STREQ(part.child_value("ETag"), "\"etag2\"");
  EXPECT_STREQ(part.child_value("Size"), "5242880");
  EXPECT_STREQ(root.child("Initiator").child_value("ID"), "owner-id");
  EXPECT_STREQ(root.child("Owner").child_value("DisplayName"), "owner");
  EXPECT_STREQ(root.child_value("StorageClass"), "STANDARD_IA");
  EXPECT_STREQ(root.child_value("ChecksumAlgorithm"), "CRC32");
  EXPECT_STREQ(root.child_value("ChecksumType"), "COMPOSITE");
}

TEST(XmlListParts, LastPageAndEmptyUpload) {
  core::UploadRecord upload;
  core::PartsPage page;
  page.parts = {PartRecord(7, 1)};
  ListPartsRender list;
  list.upload = &upload;
  list.page = &page;
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListParts(list));
  EXPECT_STREQ(root.child_value("IsTruncated"), "false");
  EXPECT_STREQ(root.child_value("NextPartNumberMarker"), "7");  // the last part listed
  EXPECT_STREQ(root.child_value("PartNumberMarker"), "0");
  EXPECT_STREQ(root.child_value("MaxParts"), "1000");
  EXPECT_FALSE(root.child("ChecksumAlgorithm"));
  EXPECT_FALSE(root.child("ChecksumType"));

  page.parts.clear();
  pugi::xml_document empty_doc;
  pugi::xml_node empty = Root(empty_doc, RenderListParts(list));
  EXPECT_FALSE(empty.child("NextPartNumberMarker"));
  EXPECT_FALSE(empty.child("Part"));
  EXPECT_STREQ(empty.child_value("StorageClass"), "STANDARD");
}

core::UploadRecord Upload(std::string key, std::string id) {
  core::UploadRecord upload;
  upload.key = std::move(key);
  upload.upload_id = std::move(id);
  upload.initiated = At(1'440'938'160'000);
  return upload;
}

TEST(XmlListUploads, ElementsInS3Order) {
  core::UploadsPage page;
  page.uploads = {Upload("a/one", "U1"), Upload("a/two", "U2")};
  page.uploads[1].checksum_algorithm = "CRC64NVME";
  page.uploads[1].checksum_type = "FULL_OBJECT";
  page.common_prefixes = {"a/dir/"};
  page.truncated = true;
  page.next_key_marker = "a/two";
  page.next_upload_id_marker = "U2";
  ListUploadsRender list;
  list.bucket = "photos";
  list.prefix = "a/";
  list.delimiter = "/";
  list.key_marker = "a/";
  list.upload_id_marker = "U0";
  list.max_uploads = 3;
  list.owner = {"owner-id", "owner"};
  list.page = &page;

  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListUploads(list));
  EXPECT_STREQ(root.name(), "ListMultipartUploadsResult");
  EXPECT_EQ(ChildNames(root), (Names{"Bucket", "KeyMarker", "UploadIdMarker", "NextKeyMarker",
                                     "Prefix", "Delimiter", "NextUploadIdMarker", "MaxUploads",
                                     "IsTruncated", "Upload", "Upload", "CommonPrefixes"}));
  EXPECT_STREQ(root.child_value("KeyMarker"), "a/");
  EXPECT_STREQ(root.child_value("UploadIdMarker"), "U0");
  EXPECT_STREQ(root.child_value("NextKeyMarker"), "a/two");
  EXPECT_STREQ(root.child_value("NextUploadIdMarker"), "U2");
  EXPECT_STREQ(root.child_value("MaxUploads"), "3");
  EXPECT_STREQ(root.child_value("IsTruncated"), "true");
  pugi::xml_node first = root.child("Upload");
  EXPECT_EQ(ChildNames(first),
            (Names{"UploadId", "Key", "Initiated", "StorageClass", "Owner", "Initiator"}));
  EXPECT_STREQ(first.child_value("Initiated"), "2015-08-30T12:36:00.000Z");
  EXPECT_STREQ(first.child_value("StorageClass"), "STANDARD");
  pugi::xml_node second = first.next_sibling("Upload");
  EXPECT_EQ(ChildNames(second), (Names{"UploadId", "Key", "Initiated", "StorageClass", "Owner",
                                       "Initiator", "ChecksumAlgorithm", "ChecksumType"}));
  EXPECT_STREQ(second.child_value("ChecksumAlgorithm"), "CRC64NVME");
  EXPECT_STREQ(root.child("CommonPrefixes").child_value("Prefix"), "a/dir/");
}

TEST(XmlListUploads, EmptyListing) {
  ListUploadsRender list;
  list.bucket = "b";
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListUploads(list));
  EXPECT_EQ(ChildNames(root), (Names{"Bucket", "KeyMarker", "UploadIdMarker", "NextKeyMarker",
                                     "Prefix", "NextUploadIdMarker", "MaxUploads", "IsTruncated"}));
  EXPECT_STREQ(root.child_value("IsTruncated"), "false");
}

TEST(XmlListUploads, UrlEncodingCoversKeysPrefixesAndMarkers) {
  core::UploadsPage page;
  page.uploads = {Upload("dir/a b+c", "U+1")};
  page.common_prefixes = {"dir/x y/"};
  page.next_key_marker = "dir/a b+c";
  page.next_upload_id_marker = "U+1";
  ListUploadsRender list;
  list.prefix = "dir/ ";
  list.delimiter = " ";
  list.key_marker = "dir/+";
  list.upload_id_marker = "U+0";
  list.encoding_type = "url";
  list.page = &page;
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListUploads(list));
  EXPECT_STREQ(root.child_value("Prefix"), "dir/%20");
  EXPECT_STREQ(root.child_value("Delimiter"), "%20");
  EXPECT_STREQ(root.child_value("KeyMarker"), "dir/%2B");
  EXPECT_STREQ(root.child_value("NextKeyMarker"), "dir/a%20b%2Bc");
  EXPECT_STREQ(root.child("Upload").child_value("Key"), "dir/a%20b%2Bc");
  EXPECT_STREQ(root.child("CommonPrefixes").child_value("Prefix"), "dir/x%20y/");
  // Upload ids are not encoded.
  EXPECT_STREQ(root.child_value("UploadIdMarker"), "U+0");
  EXPECT_STREQ(root.child_value("NextUploadIdMarker"), "U+1");
  EXPECT_STREQ(root.child("Upload").child_value("UploadId"), "U+1");
  EXPECT_EQ(ChildNames(root).back(), "EncodingType");
  EXPECT_STREQ(root.child_value("EncodingType"), "url");
}

}  // namespace
}  // namespace cairn::s3
