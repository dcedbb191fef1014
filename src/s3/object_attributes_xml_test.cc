// GetObjectAttributes: the x-amz-object-attributes parse with S3's errors, and the rendered
// document parsed back with pugixml: only the elements asked for, in the service model's order,
// ObjectParts paged with each part's checksum for a COMPOSITE object and PartsCount alone
// otherwise.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "s3/object_attributes.h"
#include "s3/xml.h"

namespace cairn::s3 {
namespace {

using Names = std::vector<std::string>;

Names ChildNames(pugi::xml_node node) {
  Names names;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element) names.push_back(c.name());
  }
  return names;
}

ObjectAttributesRequest Ask(std::string_view attributes,
                            std::optional<std::string_view> max_parts = std::nullopt,
                            std::optional<std::string_view> marker = std::nullopt) {
  Result<ObjectAttributesRequest> r = ParseObjectAttributesRequest(attributes, max_parts, marker);
  EXPECT_TRUE(r.ok()) << attributes;
  return r.ok() ? *r : ObjectAttributesRequest{};
}

// Three parts of a COMPOSITE CRC32 upload, as CompleteMultipartUpload keeps them.
core::ObjectRecord CompositeObject() {
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = "k";
  o.etag = "4d45984fc3feb2ac9b22683c49674b56-3";
  o.size = 10485772;
  o.storage_class = "STANDARD";
  o.checksums = {{"CRC32", "5FRUiw==-3"}};
  o.checksum_type = "COMPOSITE";
  o.parts_count = 3;
  o.parts = {{5242881, {{"CRC32", "NRU+Sw=="}}},
             {5242881, {{"CRC32", "NRU+Sw=="}}},
             {10, {{"CRC32", "TBHN8A=="}}}};
  return o;
}

pugi::xml_node Render(pugi::xml_document& doc, const ObjectAttributesRequest& request,
                      const core::ObjectRecord& object) {
  const std::string xml = RenderObjectAttributes(request, object);
  pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << xml;
  pugi::xml_node root = doc.document_element();
  EXPECT_STREQ(root.name(), "GetObjectAttributesResponse");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  return root;
}

TEST(ObjectAttributesRequest, NamesCommaSeparatedWithSpaces) {
  ObjectAttributesRequest r = Ask(" ETag,Checksum , ObjectParts,,StorageClass,ObjectSize ");
  EXPECT_TRUE(r.etag && r.checksum && r.object_parts && r.storage_class && r.object_size);
  r = Ask("ObjectSize");
  EXPECT_TRUE(r.object_size);
  EXPECT_FALSE(r.etag || r.checksum || r.object_parts || r.storage_class);
  EXPECT_EQ(r.max_parts, 1000u);
  EXPECT_EQ(r.part_number_marker, 0u);
}

TEST(ObjectAttributesRequest, MissingOrEmptyIsInvalidRequest) {
  for (std::optional<std::string_view> header :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>(" , ")}) {
    auto r = ParseObjectAttributesRequest(header, std::nullopt, std::nullopt);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
    EXPECT_EQ(r.error().Message(),
              "The x-amz-object-attributes header specifying the attributes to be retrieved is "
              "either missing or empty");
  }
}

TEST(ObjectAttributesRequest, UnknownNameIsInvalidArgument) {
  for (std::string_view header : {"Dummy", "ETag,Dummy", "etag", "ETag Checksum"}) {
    auto r = ParseObjectAttributesRequest(header, std::nullopt, std::nullopt);
    ASSERT_FALSE(r.ok()) << header;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << header;
    EXPECT_EQ(r.error().Message(), "Invalid attribute name specified.");
  }
}

TEST(ObjectAttributesRequest, PagingHeaders) {
  ObjectAttributesRequest r = Ask("ObjectParts", "2", "1");
  EXPECT_EQ(r.max_parts, 2u);
  EXPECT_EQ(r.part_number_marker, 1u);
  EXPECT_EQ(Ask("ObjectParts", "5000").max_parts, 1000u);
  // S3 ignores an x-amz-max-parts it cannot read (versitygw#1806).
  EXPECT_EQ(Ask("ObjectParts", "lots").max_parts, 1000u);
  EXPECT_EQ(Ask("ObjectParts", "-1").max_parts, 1000u);
  for (std::string_view marker : {"x", "-1", "99999999999", ""}) {
    auto bad = ParseObjectAttributesRequest("ObjectParts", std::nullopt, marker);
    ASSERT_FALSE(bad.ok()) << marker;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument) << marker;
  }
}

TEST(ObjectAttributesXml, OnlyWhatWasAskedInModelOrder) {
  const core::ObjectRecord o = CompositeObject();
  pugi::xml_document doc;
  pugi::xml_node root = Render(doc, Ask("ObjectSize,StorageClass,ObjectParts,Checksum,ETag"), o);
  EXPECT_EQ(ChildNames(root),
            (Names{"ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"}));
  EXPECT_STREQ(root.child_value("ETag"), "4d45984fc3feb2ac9b22683c49674b56-3");  // unquoted
  EXPECT_STREQ(root.child_value("StorageClass"), "STANDARD");
  EXPECT_STREQ(root.child_value("ObjectSize"), "10485772");
  // A COMPOSITE checksum without its "-N".
  pugi::xml_node checksum = root.child("Checksum");
  EXPECT_EQ(ChildNames(checksum), (Names{"ChecksumCRC32", "ChecksumType"}));
  EXPECT_STREQ(checksum.child_value("ChecksumCRC32"), "5FRUiw==");
  EXPECT_STREQ(checksum.child_value("ChecksumType"), "COMPOSITE");

  pugi::xml_document only;
  EXPECT_EQ(ChildNames(Render(only, Ask("ObjectSize"), o)), (Names{"ObjectSize"}));
}

TEST(ObjectAttributesXml, CompositePartsWithTheirChecksums) {
  pugi::xml_document doc;
  pugi::xml_node parts = Render(doc, Ask("ObjectParts"), CompositeObject()).child("ObjectParts");
  EXPECT_EQ(ChildNames(parts), (Names{"PartsCount", "PartNumberMarker", "NextPartNumberMarker",
                                      "MaxParts", "IsTruncated", "Part", "Part", "Part"}));
  EXPECT_STREQ(parts.child_value("PartsCount"), "3");
  EXPECT_STREQ(parts.child_value("PartNumberMarker"), "0");
  EXPECT_STREQ(parts.child_value("NextPartNumberMarker"), "3");
  EXPECT_STREQ(parts.child_value("MaxParts"), "1000");
  EXPECT_STREQ(parts.child_value("IsTruncated"), "false");
  pugi::xml_node last = parts.last_child();
  EXPECT_EQ(ChildNames(last), (Names{"PartNumber", "Size", "ChecksumCRC32"}));
  EXPECT_STREQ(last.child_value("PartNumber"), "3");
  EXPECT_STREQ(last.child_value("Size"), "10");
  EXPECT_STREQ(last.child_value("ChecksumCRC32"), "TBHN8A==");
}

TEST(ObjectAttributesXml, PartsPageByMaxPartsAndMarker) {
  const core::ObjectRecord o = CompositeObject();
  struct Case {
    std::string_view max_parts, marker;
    Names numbers;
    bool truncated;
    std::string_view next;  // "" when absent
  };
  const Case cases[] = {{"2", "0", {"1", "2"}, true, "2"},
                        {"2", "2", {"3"}, false, "3"},
                        {"1", "1", {"2"}, true, "2"},
                        {"5", "3", {}, false, ""},
                        {"0", "0", {}, true, ""}};
  for (const Case& c : cases) {
    pugi::xml_document doc;
    pugi::xml_node parts =
        Render(doc, Ask("ObjectParts", c.max_parts, c.marker), o).child("ObjectParts");
    Names numbers;
    for (pugi::xml_node part : parts.children("Part"))
      numbers.push_back(part.child_value("PartNumber"));
    EXPECT_EQ(numbers, c.numbers) << c.max_parts << " after " << c.marker;
    EXPECT_STREQ(parts.child_value("IsTruncated"), c.truncated ? "true" : "false");
    EXPECT_EQ(std::string_view(parts.child_value("NextPartNumberMarker")), c.next);
    EXPECT_EQ(std::string_view(parts.child_value("PartNumberMarker")), c.marker);
    EXPECT_EQ(std::string_view(parts.child_value("MaxParts")), c.max_parts);
  }
}

// FULL_OBJECT, or no checksum: PartsCount alone (S3 lists parts only for COMPOSITE checksums); a
// single PUT has no ObjectParts and its checksum as stored.
TEST(ObjectAttributesXml, PartsCountAloneWithoutCompositeChecksums) {
  core::ObjectRecord full = CompositeObject();
  full.checksums = {{"CRC32C", "eTdAQA=="}};
  full.checksum_type = "FULL_OBJECT";
  pugi::xml_document doc;
  pugi::xml_node root = Render(doc, Ask("Checksum,ObjectParts"), full);
  EXPECT_EQ(ChildNames(root.child("ObjectParts")), (Names{"PartsCount"}));
  EXPECT_STREQ(root.child("Checksum").child_value("ChecksumCRC32C"), "eTdAQA==");
  EXPECT_STREQ(root.child("Checksum").child_value("ChecksumType"), "FULL_OBJECT");

  core::ObjectRecord plain = CompositeObject();
  plain.checksums.clear();
  plain.checksum_type.clear();
  for (core::ObjectPart& part : plain.parts) part.checksums.clear();
  pugi::xml_document plain_doc;
  root = Render(plain_doc, Ask("Checksum,ObjectParts"), plain);
  EXPECT_EQ(ChildNames(root), (Names{"ObjectParts"}));  // no checksum: no Checksum element
  EXPECT_EQ(ChildNames(root.child("ObjectParts")), (Names{"PartsCount"}));

  core::ObjectRecord single;
  single.etag = "e92499db864217242396e8ef766079a9";
  single.size = 7;
  single.checksums = {{"CRC32", "WC+ANw=="}};
  single.checksum_type = "FULL_OBJECT";
  pugi::xml_document single_doc;
  root = Render(single_doc, Ask("ETag,Checksum,ObjectParts,ObjectSize"), single);
  EXPECT_EQ(ChildNames(root), (Names{"ETag", "Checksum", "ObjectSize"}));
  EXPECT_STREQ(root.child("Checksum").child_value("ChecksumCRC32"), "WC+ANw==");
}

}  // namespace
}  // namespace cairn::s3
