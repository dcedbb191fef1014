// The S3 XML documents: each rendered document is parsed back with pugixml and checked field by
// field and in S3's element order; request bodies are parsed from the shapes SDKs send.
#include "s3/xml.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "common/encoding.h"
#include "common/utf8.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

TimePoint At(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Parses `xml` strictly and returns its root, failing the test on bad XML.
pugi::xml_node Root(pugi::xml_document& doc, const std::string& xml) {
  EXPECT_TRUE(xml.starts_with(kDecl)) << xml;
  pugi::xml_parse_result r =
      doc.load_string(xml.c_str(), pugi::parse_default | pugi::parse_declaration);
  EXPECT_TRUE(r) << r.description() << "\n" << xml;
  return doc.document_element();
}

// The names of an element's child elements, in order.
std::vector<std::string> ChildNames(pugi::xml_node node) {
  std::vector<std::string> names;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element) names.push_back(c.name());
  }
  return names;
}

core::ObjectRecord Object(std::string key, uint64_t size, std::string etag) {
  core::ObjectRecord o;
  o.bucket = "photos";
  o.key = std::move(key);
  o.size = size;
  o.etag = std::move(etag);
  o.last_modified = At(1'440'938'160'123);  // 2015-08-30T12:36:00.123Z
  return o;
}

TEST(XmlError, HasNoNamespace) {
  std::string xml = RenderError(Error(ErrorCode::kNoSuchKey), "/photos/a.jpg", "REQ1");
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "Error");
  EXPECT_FALSE(root.attribute("xmlns"));
  EXPECT_EQ(ChildNames(root),
            (std::vector<std::string>{"Code", "Message", "Resource", "RequestId"}));
  EXPECT_STREQ(root.child_value("Code"), "NoSuchKey");
  EXPECT_EQ(std::string_view(root.child_value("Message")),
            LookupError(ErrorCode::kNoSuchKey).message);
  EXPECT_STREQ(root.child_value("Resource"), "/photos/a.jpg");
  EXPECT_STREQ(root.child_value("RequestId"), "REQ1");
}

TEST(XmlError, CustomMessageIsEscaped) {
  std::string xml = RenderError(Error(ErrorCode::kInvalidArgument, "a < b & \"c\""), "", "R");
  EXPECT_NE(xml.find("a &lt; b &amp;"), std::string::npos) << xml;
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.child_value("Message"), "a < b & \"c\"");
  EXPECT_FALSE(root.child("Resource"));  // left out when there is none
}

// Found by the fuzz harnesses' check of every error they see: messages quote client bytes (a
// storage class, a form field name, an XML element name), and keys and paths are client bytes,
// so an error body could hold bytes that are not UTF-8 or control characters, which no XML
// parser of a client accepts. Such bytes are written as \xNN.
TEST(XmlError, ClientBytesThatXmlCannotCarryAreEscaped) {
  const std::string sent = "class \xb5 \x01 \xe2\x82 caf\xc3\xa9\ttab";
  std::string xml = RenderError(Error(ErrorCode::kNoSuchKey, sent), "/b/\xff", "R",
                                ErrorSubject{"b", "key\x7f\xc0\xaf"});
  EXPECT_TRUE(IsValidUtf8(xml)) << xml;
  EXPECT_EQ(xml.find("&#"), std::string::npos) << xml;
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.child_value("Message"), "class \\xb5 \\x01 \\xe2\\x82 caf\xc3\xa9\ttab");
  EXPECT_STREQ(root.child_value("Key"), "key\\x7f\\xc0\\xaf");
  EXPECT_STREQ(root.child_value("Resource"), "/b/\\xff");
}

TEST(XmlListBuckets, OwnerThenBuckets) {
  std::vector<core::BucketRecord> buckets = {{"alpha", At(0), "auto"},
                                             {"beta", At(1'440'938'160'000), "auto"}};
  std::string xml = RenderListBuckets(buckets, {"owner-id", "owner"});
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "ListAllMyBucketsResult");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{"Owner", "Buckets"}));
  EXPECT_STREQ(root.child("Owner").child_value("ID"), "owner-id");
  EXPECT_STREQ(root.child("Owner").child_value("DisplayName"), "owner");
  std::vector<std::string> names, dates;
  for (pugi::xml_node b : root.child("Buckets").children("Bucket")) {
    EXPECT_EQ(ChildNames(b), (std::vector<std::string>{"Name", "CreationDate"}));
    names.push_back(b.child_value("Name"));
    dates.push_back(b.child_value("CreationDate"));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(dates,
            (std::vector<std::string>{"1970-01-01T00:00:00.000Z", "2015-08-30T12:36:00.000Z"}));
}

TEST(XmlListBuckets, EmptyListIsAnEmptyElement) {
  std::string xml = RenderListBuckets({}, {"id", "name"});
  EXPECT_NE(xml.find("<Buckets></Buckets>"), std::string::npos) << xml;
}

TEST(XmlLocation, Exact) {
  EXPECT_EQ(RenderLocationConstraint("auto"),
            std::string(kDecl) +
                "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">auto"
                "</LocationConstraint>");
}

core::ListPage SamplePage() {
  core::ListPage page;
  page.objects.push_back(Object("photos/a.jpg", 434234, "fba9dede5f27731c9771645a39863328"));
  core::ObjectRecord b = Object("photos/b & c.jpg", 7, "d41d8cd98f00b204e9800998ecf8427e-2");
  b.checksums = {{"CRC32", "AAAAAA=="}};
  b.checksum_type = "COMPOSITE";
  b.storage_class = "STANDARD_IA";
  page.objects.push_back(b);
  page.common_prefixes = {"photos/2015/", "photos/2016/"};
  page.truncated = true;
  page.next_marker = "photos/2016/";
  return page;
}

TEST(XmlListObjectsV2, RenderAndParseBack) {
  core::ListPage page = SamplePage();
  ListRender list;
  list.version = 2;
  list.bucket = "photos";
  list.prefix = "photos/";
  list.delimiter = "/";
  list.max_keys = 4;
  list.continuation_token = "tok1";
  list.next_continuation_token = "tok2";
  list.start_after = "photos/0";
  list.page = &page;
  std::string xml = RenderListObjects(list);

  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "ListBucketResult");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{
                                  "Name", "Prefix", "ContinuationToken", "NextContinuationToken",
                                  "StartAfter", "KeyCount", "MaxKeys", "Delimiter", "IsTruncated",
                                  "Contents", "Contents", "CommonPrefixes", "CommonPrefixes"}));
  EXPECT_STREQ(root.child_value("Name"), "photos");
  EXPECT_STREQ(root.child_value("Prefix"), "photos/");
  EXPECT_STREQ(root.child_value("ContinuationToken"), "tok1");
  EXPECT_STREQ(root.child_value("NextContinuationToken"), "tok2");
  EXPECT_STREQ(root.child_value("StartAfter"), "photos/0");
  EXPECT_STREQ(root.child_value("KeyCount"), "4");  // 2 keys + 2 prefixes
  EXPECT_STREQ(root.child_value("MaxKeys"), "4");
  EXPECT_STREQ(root.child_value("Delimiter"), "/");
  EXPECT_STREQ(root.child_value("IsTruncated"), "true");

  pugi::xml_node first = root.child("Contents");
  EXPECT_EQ(ChildNames(first),
            (std::vector<std::string>{"Key", "LastModified", "ETag", "Size", "StorageClass"}));
  EXPECT_STREQ(first.child_value("Key"), "photos/a.jpg");
  EXPECT_STREQ(first.child_value("LastModified"), "2015-08-30T12:36:00.123Z");
  EXPECT_STREQ(first.child_value("ETag"), "\"fba9dede5f27731c9771645a39863328\"");
  EXPECT_STREQ(first.child_value("Size"), "434234");
  EXPECT_STREQ(first.child_value("StorageClass"), "STANDARD");

  pugi::xml_node second = first.next_sibling("Contents");
  EXPECT_EQ(ChildNames(second),
            (std::vector<std::string>{"Key", "LastModified", "ETag", "ChecksumAlgorithm",
                                      "ChecksumType", "Size", "StorageClass"}));
  EXPECT_STREQ(second.child_value("Key"), "photos/b & c.jpg");
  EXPECT_STREQ(second.child_value("ChecksumAlgorithm"), "CRC32");
  EXPECT_STREQ(second.child_value("ChecksumType"), "COMPOSITE");
  EXPECT_STREQ(second.child_value("StorageClass"), "STANDARD_IA");

  std::vector<std::string> prefixes;
  for (pugi::xml_node p : root.children("CommonPrefixes"))
    prefixes.push_back(p.child_value("Prefix"));
  EXPECT_EQ(prefixes, (std::vector<std::string>{"photos/2015/", "photos/2016/"}));
}

TEST(XmlListObjectsV2, OwnerOnlyWithFetchOwner) {
  core::ListPage page = SamplePage();
  ListRender list;
  list.bucket = "photos";
  list.owner = {"id1", "me"};
  list.page = &page;
  pugi::xml_document doc;
  EXPECT_FALSE(Root(doc, RenderListObjects(list)).child("Contents").child("Owner"));

  list.fetch_owner = true;
  pugi::xml_document doc2;
  pugi::xml_node contents = Root(doc2, RenderListObjects(list)).child("Contents");
  EXPECT_EQ(ChildNames(contents), (std::vector<std::string>{"Key", "LastModified", "ETag", "Size",
                                                            "Owner", "StorageClass"}));
  EXPECT_STREQ(contents.child("Owner").child_value("ID"), "id1");
  EXPECT_STREQ(contents.child("Owner").child_value("DisplayName"), "me");
}

TEST(XmlListObjectsV2, EmptyBucketMinimalDocument) {
  ListRender list;
  list.bucket = "empty";
  std::string xml = RenderListObjects(list);  // no page: an empty listing
  EXPECT_EQ(xml, std::string(kDecl) +
                     "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                     "<Name>empty</Name><Prefix></Prefix><KeyCount>0</KeyCount>"
                     "<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>");
}

TEST(XmlListObjectsV1, MarkersAndAlwaysOwner) {
  core::ListPage page = SamplePage();
  ListRender list;
  list.version = 1;
  list.bucket = "photos";
  list.prefix = "photos/";
  list.delimiter = "/";
  list.marker = "photos/0";
  list.next_marker = "photos/2016/";
  list.owner = {"id1", "me"};
  list.page = &page;
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderListObjects(list));
  EXPECT_EQ(ChildNames(root),
            (std::vector<std::string>{"Name", "Prefix", "Marker", "NextMarker", "MaxKeys",
                                      "Delimiter", "IsTruncated", "Contents", "Contents",
                                      "CommonPrefixes", "CommonPrefixes"}));
  EXPECT_STREQ(root.child_value("Marker"), "photos/0");
  EXPECT_STREQ(root.child_value("NextMarker"), "photos/2016/");
  EXPECT_FALSE(root.child("KeyCount"));
  EXPECT_FALSE(root.child("ContinuationToken"));
  for (pugi::xml_node c : root.children("Contents")) EXPECT_TRUE(c.child("Owner"));
}

TEST(XmlListObjectsV1, EmptyMarkerIsPresent) {
  ListRender list;
  list.version = 1;
  list.bucket = "b";
  std::string xml = RenderListObjects(list);
  EXPECT_NE(xml.find("<Marker></Marker>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("NextMarker"), std::string::npos) << xml;
}

TEST(XmlListObjects, UrlEncodingKeepsSlashAndRoundTrips) {
  core::ListPage page;
  const std::string odd_key = std::string("dir/a b+c\x01\r\xc3\xa9%&<");
  page.objects.push_back(Object(odd_key, 1, "e"));
  page.common_prefixes = {"dir/sub dir/"};
  for (int version : {1, 2}) {
    ListRender list;
    list.version = version;
    list.bucket = "b";
    list.prefix = "dir/ ";
    list.delimiter = "/";
    list.marker = "dir/m+";
    list.next_marker = "dir/n ";
    list.start_after = "dir/s+";
    list.continuation_token = "tok+/=";
    list.encoding_type = "url";
    list.page = &page;
    std::string xml = RenderListObjects(list);
    pugi::xml_document doc;
    pugi::xml_node root = Root(doc, xml);
    EXPECT_STREQ(root.child_value("EncodingType"), "url");
    EXPECT_STREQ(root.child("Contents").child_value("Key"), "dir/a%20b%2Bc%01%0D%C3%A9%25%26%3C");
    EXPECT_STREQ(root.child_value("Prefix"), "dir/%20");
    EXPECT_STREQ(root.child_value("Delimiter"), "/");
    EXPECT_STREQ(root.child("CommonPrefixes").child_value("Prefix"), "dir/sub%20dir/");
    if (version == 1) {
      EXPECT_STREQ(root.child_value("Marker"), "dir/m%2B");
      EXPECT_STREQ(root.child_value("NextMarker"), "dir/n%20");
    } else {
      EXPECT_STREQ(root.child_value("StartAfter"), "dir/s%2B");
      EXPECT_STREQ(root.child_value("ContinuationToken"), "tok+/=");  // tokens are not encoded
    }
    // What a client does with it: URL-decode, and get the key back byte for byte.
    EXPECT_EQ(UrlDecode(root.child("Contents").child_value("Key")), odd_key);
  }
}

TEST(XmlListObjects, WithoutEncodingSpecialCharactersAreEscaped) {
  core::ListPage page;
  page.objects.push_back(Object("a&b<c>\"d'", 1, "e"));
  ListRender list;
  list.bucket = "b";
  list.page = &page;
  std::string xml = RenderListObjects(list);
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_FALSE(root.child("EncodingType"));
  EXPECT_STREQ(root.child("Contents").child_value("Key"), "a&b<c>\"d'");
}

TEST(XmlCopyObject, EtagDateAndChecksums) {
  core::ObjectRecord o = Object("k", 3, "900150983cd24fb0d6963f7d28e17f72");
  o.checksums = {{"SHA256", "s256"}, {"CRC32", "c32"}, {"CRC64NVME", "c64"}};
  o.checksum_type = "FULL_OBJECT";
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderCopyObjectResult(o));
  EXPECT_STREQ(root.name(), "CopyObjectResult");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  EXPECT_EQ(ChildNames(root),
            (std::vector<std::string>{"ETag", "LastModified", "ChecksumType", "ChecksumCRC32",
                                      "ChecksumCRC64NVME", "ChecksumSHA256"}));
  EXPECT_STREQ(root.child_value("ETag"), "\"900150983cd24fb0d6963f7d28e17f72\"");
  EXPECT_STREQ(root.child_value("LastModified"), "2015-08-30T12:36:00.123Z");
  EXPECT_STREQ(root.child_value("ChecksumCRC32"), "c32");
  EXPECT_STREQ(root.child_value("ChecksumSHA256"), "s256");
}

TEST(XmlCopyObject, NoChecksums) {
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderCopyObjectResult(Object("k", 0, "e")));
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{"ETag", "LastModified"}));
}

TEST(XmlPostResponse, LocationBucketKeyQuotedEtagWithoutNamespace) {
  core::ObjectRecord o = Object("uploads/a&b.txt", 5, "5d41402abc4b2a76b9719d911017c592");
  pugi::xml_document doc;
  pugi::xml_node root =
      Root(doc, RenderPostResponse("http://127.0.0.1:9000/photos/uploads/a%26b.txt", o));
  EXPECT_STREQ(root.name(), "PostResponse");
  EXPECT_FALSE(root.attribute("xmlns"));
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{"Location", "Bucket", "Key", "ETag"}));
  EXPECT_STREQ(root.child_value("Location"), "http://127.0.0.1:9000/photos/uploads/a%26b.txt");
  EXPECT_STREQ(root.child_value("Bucket"), "photos");
  EXPECT_STREQ(root.child_value("Key"), "uploads/a&b.txt");
  EXPECT_STREQ(root.child_value("ETag"), "\"5d41402abc4b2a76b9719d911017c592\"");
}

TEST(XmlDeleteRequest, BotoShape) {
  Result<DeleteRequest> r = ParseDeleteRequest(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Object><Key>a.txt</Key></Object>"
      "<Object><Key>dir/b &amp; c.txt</Key><VersionId>null</VersionId></Object>"
      "<Quiet>true</Quiet></Delete>");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  EXPECT_TRUE(r->quiet);
  EXPECT_EQ(r->keys, (std::vector<std::string>{"a.txt", "dir/b & c.txt"}));
}

TEST(XmlDeleteRequest, QuietDefaultsToFalse) {
  Result<DeleteRequest> r = ParseDeleteRequest("<Delete><Object><Key>a</Key></Object></Delete>");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->quiet);
  r = ParseDeleteRequest("<Delete><Quiet> false </Quiet><Object><Key>a</Key></Object></Delete>");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->quiet);
}

TEST(XmlDeleteRequest, KeysKeepTheirBytes) {
  Result<DeleteRequest> r = ParseDeleteRequest(
      "<Delete>"
      "<Object><Key>  spaced  </Key></Object>"
      "<Object><Key>   </Key></Object>"
      "<Object><Key>cr&#13;lf&#10;</Key></Object>"
      "<Object><Key><![CDATA[<raw>]]></Key></Object>"
      "<Object><Key>\xc3\xa9</Key></Object>"
      "</Delete>");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  EXPECT_EQ(r->keys,
            (std::vector<std::string>{"  spaced  ", "   ", "cr\rlf\n", "<raw>", "\xc3\xa9"}));
}

TEST(XmlDeleteRequest, ReferencesToAnyXmlCharacterAreRead) {
  Result<DeleteRequest> r = ParseDeleteRequest(
      "<Delete><Object><Key>&#9;&#xE9;&#x1F600;&#xFFFD;</Key></Object></Delete>");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  EXPECT_EQ(r->keys, (std::vector<std::string>{"\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd"}));
}

TEST(XmlDeleteRequest, ReferencesAndCdata) {
  Result<DeleteRequest> r = ParseDeleteRequest(
      "<Delete><!-- a & comment -->"
      "<Object><Key>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</Key></Object>"
      "<Object><Key><![CDATA[a & b &bogus;]]></Key></Object>"
      "</Delete>");
  ASSERT_TRUE(r.ok()) << r.error().Message();
  EXPECT_EQ(r->keys, (std::vector<std::string>{"<>&\"'AB", "a & b &bogus;"}));
}

TEST(XmlDeleteRequest, EmptyKeysAreKeptForTheHandler) {
  Result<DeleteRequest> r =
      ParseDeleteRequest("<Delete><Object><Key></Key></Object><Object><Key/></Object></Delete>");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->keys, (std::vector<std::string>{"", ""}));
}

TEST(XmlDeleteRequest, ThousandObjectsIsTheLimit) {
  auto body = [](int n) {
    std::string xml = "<Delete>";
    for (int i = 0; i < n; ++i) xml += "<Object><Key>k" + std::to_string(i) + "</Key></Object>";
    return xml + "</Delete>";
  };
  Result<DeleteRequest> ok = ParseDeleteRequest(body(1000));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->keys.size(), 1000u);
  Result<DeleteRequest> too_many = ParseDeleteRequest(body(1001));
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::kMalformedXML);
}

TEST(XmlDeleteRequest, MalformedBodies) {
  for (std::string_view body : {
           "",
           "   ",
           "not xml",
           "<Delete>",                                        // unclosed
           "<Delete></Delete>",                               // no objects
           "<Delete><Quiet>true</Quiet></Delete>",            // no objects
           "<Remove><Object><Key>a</Key></Object></Remove>",  // wrong root
           "<Delete><Object></Object></Delete>",              // no Key
           "<Delete><Object><VersionId>1</VersionId></Object></Delete>",
           "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
           "<Delete><Object><Key><b>a</b></Key></Object></Delete>",  // element inside Key
           "<Delete><Quiet>yes</Quiet><Object><Key>a</Key></Object></Delete>",
           "<Delete><Object><Key>a</Key></Object></Delete><Delete/>",  // two roots
           "<Delete><Object><Key>a&bogus;</Key></Object></Delete>",    // unknown entity
           "<Delete><Object><Key>a & b</Key></Object></Delete>",       // bare ampersand
           "<Delete><Object><Key>&#xZZ;</Key></Object></Delete>",
           // Not UTF-8, raw or by reference, and characters XML does not have: never a key.
           "<Delete><Object><Key>\xff\xfe</Key></Object></Delete>",
           "<Delete><Object><Key>\xc0\xaf</Key></Object></Delete>",      // overlong "/"
           "<Delete><Object><Key>\xed\xa0\x80</Key></Object></Delete>",  // a surrogate
           "<Delete><Object><Key>&#xD800;</Key></Object></Delete>",
           "<Delete><Object><Key>&#0;</Key></Object></Delete>",
           "<Delete><Object><Key>&#1;</Key></Object></Delete>",
           "<Delete><Object><Key>&#xFFFE;</Key></Object></Delete>",
           "<Delete><Object><Key>&#x110000;</Key></Object></Delete>",
           "<Delete><Object><Key>&#99999999999;</Key></Object></Delete>",
           "<Delete><Object><Key>a\x01b</Key></Object></Delete>",
       }) {
    Result<DeleteRequest> r = ParseDeleteRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedXML) << body;
  }
}

TEST(XmlDeleteResult, VerboseListsEverything) {
  std::vector<DeleteOutcome> outcomes = {{"a", std::nullopt},
                                         {"", Error(ErrorCode::kInvalidArgument, "empty key")},
                                         {"b&c", std::nullopt}};
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderDeleteResult(outcomes, /*quiet=*/false));
  EXPECT_STREQ(root.name(), "DeleteResult");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{"Deleted", "Error", "Deleted"}));
  EXPECT_STREQ(root.child("Deleted").child_value("Key"), "a");
  pugi::xml_node error = root.child("Error");
  EXPECT_EQ(ChildNames(error), (std::vector<std::string>{"Key", "Code", "Message"}));
  EXPECT_STREQ(error.child_value("Key"), "");
  EXPECT_STREQ(error.child_value("Code"), "InvalidArgument");
  EXPECT_STREQ(error.child_value("Message"), "empty key");
  EXPECT_STREQ(root.last_child().child_value("Key"), "b&c");
}

TEST(XmlDeleteResult, QuietListsOnlyErrors) {
  std::vector<DeleteOutcome> outcomes = {{"a", std::nullopt},
                                         {"b", Error(ErrorCode::kAccessDenied)}};
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, RenderDeleteResult(outcomes, /*quiet=*/true));
  EXPECT_EQ(ChildNames(root), (std::vector<std::string>{"Error"}));
  EXPECT_STREQ(root.child("Error").child_value("Message"), "Access Denied");

  std::string all_ok = RenderDeleteResult({{"a", std::nullopt}}, /*quiet=*/true);
  EXPECT_EQ(all_ok, std::string(kDecl) +
                        "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        "</DeleteResult>");
}

TEST(XmlCreateBucketConfiguration, Cases) {
  auto parse = [](std::string_view xml) { return ParseCreateBucketConfiguration(xml); };
  Result<std::optional<std::string>> r = parse("");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = parse(" \r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = parse(
      "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<LocationConstraint>auto</LocationConstraint></CreateBucketConfiguration>");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value_or("?"), "auto");
  r = parse("<CreateBucketConfiguration></CreateBucketConfiguration>");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = parse("<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value_or("?"), "");

  for (std::string_view bad : {"<CreateBucketConfiguration>", "<Other/>", "junk",
                               "<CreateBucketConfiguration><LocationConstraint><x/>"
                               "</LocationConstraint></CreateBucketConfiguration>"}) {
    Result<std::optional<std::string>> b = parse(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.error().code, ErrorCode::kMalformedXML) << bad;
  }
}

}  // namespace
}  // namespace cairn::s3
