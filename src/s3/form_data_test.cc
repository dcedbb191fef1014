// multipart/form-data framing: the bodies browsers and curl send, cut into reads at every offset
// (a read may end anywhere, also inside a delimiter), and every malformed shape refused.
#include "s3/form_data.h"

#include <gtest/gtest.h>

namespace cairn::s3 {
namespace {

constexpr char kBoundary[] = "----WebKitFormBoundaryu7ODA3lQXwQJ8bIA";

struct ParsedPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string body;
  bool ended = false;
};

struct Parsed {
  std::vector<ParsedPart> parts;
  bool ended = false;
};

// Runs the parser over `body` delivered in reads that end at `cuts`, keeping the unconsumed bytes
// between reads as a caller must. Every event's data is checked to lie inside the input given.
Result<Parsed> Parse(std::string_view body, const std::vector<size_t>& cuts,
                     std::string boundary = kBoundary) {
  FormDataParser parser(std::move(boundary));
  Parsed out;
  std::string pending;
  size_t offset = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(body.size());
  for (size_t end : ends) {
    pending.append(body.substr(offset, end - offset));
    offset = end;
    for (;;) {
      size_t used = 0;
      Result<FormDataParser::Event> event = parser.Next(pending, &used);
      if (!event.ok()) return event.error();
      EXPECT_LE(used, pending.size());
      switch (event->kind) {
        case FormDataParser::EventKind::kPartStart:
          out.parts.push_back(
              {parser.part().name, parser.part().filename, parser.part().content_type, "", false});
          break;
        case FormDataParser::EventKind::kPartData:
          EXPECT_EQ(event->data.data(), pending.data()) << "data must start the unconsumed input";
          EXPECT_EQ(event->data.size(), used);
          EXPECT_FALSE(out.parts.empty());
          if (!out.parts.empty()) out.parts.back().body.append(event->data);
          break;
        case FormDataParser::EventKind::kPartEnd:
          if (!out.parts.empty()) out.parts.back().ended = true;
          break;
        case FormDataParser::EventKind::kEnd:
          out.ended = true;
          break;
        case FormDataParser::EventKind::kNeedInput:
          break;
      }
      pending.erase(0, used);
      if (event->kind == FormDataParser::EventKind::kNeedInput) break;
    }
  }
  if (Status s = parser.Finish(); !s.ok()) return s.error();
  return out;
}

std::string Dash(std::string_view boundary = kBoundary) { return "--" + std::string(boundary); }

// A browser's form: a key field and a file whose bytes look like the delimiter's beginnings.
const std::string kFileBytes = std::string("\r\n--\r\r\n\n--") + Dash().substr(0, 20) + "\r\n" +
                               Dash().substr(0, 30) + std::string("\0binary\xff", 8) + "\r\n" +
                               Dash().substr(0, Dash().size() - 1) + "tail\r";
const std::string kBrowserBody =
    Dash() +
    "\r\n"
    "Content-Disposition: form-data; name=\"key\"\r\n"
    "\r\n"
    "uploads/${filename}\r\n" +
    Dash() +
    "\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"photo 1.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n" +
    kFileBytes + "\r\n" + Dash() + "--\r\n";

void ExpectBrowserForm(const Result<Parsed>& parsed, const std::string& where) {
  ASSERT_TRUE(parsed.ok()) << where << ": " << parsed.error().Message();
  ASSERT_EQ(parsed->parts.size(), 2u) << where;
  EXPECT_EQ(parsed->parts[0].name, "key");
  EXPECT_FALSE(parsed->parts[0].filename);
  EXPECT_EQ(parsed->parts[0].body, "uploads/${filename}") << where;
  EXPECT_EQ(parsed->parts[1].name, "file");
  EXPECT_EQ(parsed->parts[1].filename, "photo 1.jpg");
  EXPECT_EQ(parsed->parts[1].content_type, "image/jpeg");
  EXPECT_EQ(parsed->parts[1].body, kFileBytes) << where;
  EXPECT_TRUE(parsed->parts[1].ended);
  EXPECT_TRUE(parsed->ended);
}

TEST(FormDataBoundary, FromTheContentType) {
  struct Case {
    std::string content_type;
    std::optional<std::string> boundary;  // nullopt: refused
    ErrorCode code = ErrorCode::kMalformedPOSTRequest;
  };
  const Case cases[] = {
      {"multipart/form-data; boundary=----WebKitFormBoundaryu7OD", "----WebKitFormBoundaryu7OD"},
      {"multipart/form-data; boundary=\"quoted boundary\"", "quoted boundary"},
      {"Multipart/Form-Data;boundary=abc", "abc"},
      {"multipart/form-data; charset=utf-8; BOUNDARY=xyz", "xyz"},
      {"multipart/form-data ; boundary = spaced ", "spaced"},
      {"multipart/form-data; boundary=" + std::string(70, 'b'), std::string(70, 'b')},
      {"multipart/form-data; boundary=" + std::string(71, 'b'), std::nullopt},
      {"multipart/form-data", std::nullopt},
      {"multipart/form-data; boundary=", std::nullopt},
      {"multipart/form-data; boundary=\"\"", std::nullopt},
      {"multipart/form-data; boundary=\"ends in space \"", std::nullopt},
      {"multipart/form-data; boundary=\"unterminated", std::nullopt},
      {"application/x-www-form-urlencoded", std::nullopt, ErrorCode::kPreconditionFailed},
      {"multipart/mixed; boundary=abc", std::nullopt, ErrorCode::kPreconditionFailed},
      {"", std::nullopt, ErrorCode::kPreconditionFailed},
  };
  for (const Case& c : cases) {
    Result<std::string> b = FormDataBoundary(c.content_type);
    if (c.boundary) {
      ASSERT_TRUE(b.ok()) << c.content_type << ": " << b.error().Message();
      EXPECT_EQ(*b, *c.boundary) << c.content_type;
    } else {
      ASSERT_FALSE(b.ok()) << c.content_type << " gave " << *b;
      EXPECT_EQ(b.error().code, c.code) << c.content_type;
    }
  }
}

TEST(FormDataParser, BrowserFormInOneRead) { ExpectBrowserForm(Parse(kBrowserBody, {}), "whole"); }

TEST(FormDataParser, ReadsEndingAtEveryOffset) {
  for (size_t cut = 0; cut <= kBrowserBody.size(); ++cut) {
    ExpectBrowserForm(Parse(kBrowserBody, {cut}), "cut at " + std::to_string(cut));
  }
}

TEST(FormDataParser, OneByteReads) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < kBrowserBody.size(); ++i) cuts.push_back(i);
  ExpectBrowserForm(Parse(kBrowserBody, cuts), "one byte at a time");
}

TEST(FormDataParser, EveryPairOfCutsAroundTheFilesEnd) {
  // The file's last bytes, the delimiter and the close delimiter, cut twice anywhere.
  const size_t from = kBrowserBody.size() - Dash().size() * 2 - 12;
  for (size_t a = from; a <= kBrowserBody.size(); ++a) {
    for (size_t b = a; b <= kBrowserBody.size(); ++b) {
      ExpectBrowserForm(Parse(kBrowserBody, {a, b}),
                        "cuts " + std::to_string(a) + "," + std::to_string(b));
    }
  }
}

TEST(FormDataParser, HoldsBackOnlyWhatMayBeTheDelimiter) {
  FormDataParser parser("xyz");
  std::string input = "--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n";
  size_t used = 0;
  ASSERT_EQ(parser.Next(input, &used)->kind, FormDataParser::EventKind::kPartStart);
  input.erase(0, used);
  // The read ends inside "\r\n--xyz": the data stops before the CR.
  input += "data\r\n--xy";
  Result<FormDataParser::Event> event = parser.Next(input, &used);
  ASSERT_EQ(event->kind, FormDataParser::EventKind::kPartData);
  EXPECT_EQ(event->data, "data");
  input.erase(0, used);
  EXPECT_EQ(parser.Next(input, &used)->kind, FormDataParser::EventKind::kNeedInput);
  EXPECT_EQ(used, 0u);
  // It was not the delimiter after all: the held bytes are data.
  input += "Q";
  event = parser.Next(input, &used);
  ASSERT_EQ(event->kind, FormDataParser::EventKind::kPartData);
  EXPECT_EQ(event->data, "\r\n--xyQ");
  // A lone CR at the end of a read is held too; bytes without one are not.
  input = "abc\r";
  event = parser.Next(input, &used);
  EXPECT_EQ(event->data, "abc");
  input = "plain";
  event = parser.Next(input, &used);
  EXPECT_EQ(event->data, "plain");
}

TEST(FormDataParser, AcceptedShapes) {
  struct Case {
    const char* what;
    std::string body;
    std::vector<std::pair<std::string, std::string>> fields;  // name, body
  };
  const std::string d = "--b";
  const Case cases[] = {
      {"preamble and epilogue",
       "This is a preamble.\r\n" + d +
           "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n" + d +
           "--\r\nepilogue --b\r\n",
       {{"a", "1"}}},
      {"CRLF before the first boundary",
       "\r\n" + d + "\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" + d + "--",
       {{"a", "1"}}},
      {"transport padding after boundaries",
       d + " \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n" + d + "  \r\n" +
           "Content-Disposition: form-data; name=b\r\n\r\n2\r\n" + d + "--",
       {{"a", "1"}, {"b", "2"}}},
      {"folded header line",
       d + "\r\nContent-Disposition: form-data;\r\n\tname=\"folded\"\r\n\r\nv\r\n" + d + "--\r\n",
       {{"folded", "v"}}},
      {"empty value and empty body lines",
       d + "\r\nContent-Disposition: form-data; name=e\r\n\r\n\r\n" + d +
           "\r\ncontent-disposition: FORM-DATA; NAME=\"f\"\r\n\r\n\r\n\r\n\r\n" + d + "--",
       {{"e", ""}, {"f", "\r\n\r\n"}}},
      {"no parts at all", d + "--\r\n", {}},
      {"other headers kept, name with spaces",
       d +
           "\r\nX-Extra: 1\r\nContent-Disposition: form-data; name=\"x-amz-meta-a "
           "b\"\r\n\r\nv\r\n" +
           d + "--",
       {{"x-amz-meta-a b", "v"}}},
  };
  for (const Case& c : cases) {
    Result<Parsed> parsed = Parse(c.body, {}, "b");
    ASSERT_TRUE(parsed.ok()) << c.what << ": " << parsed.error().Message();
    ASSERT_EQ(parsed->parts.size(), c.fields.size()) << c.what;
    for (size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(parsed->parts[i].name, c.fields[i].first) << c.what;
      EXPECT_EQ(parsed->parts[i].body, c.fields[i].second) << c.what;
    }
  }
}

TEST(FormDataParser, Filenames) {
  struct Case {
    std::string disposition;
    std::optional<std::string> filename;
  };
  const Case cases[] = {
      {"form-data; name=\"file\"; filename=\"plain.txt\"", "plain.txt"},
      {"form-data; name=\"file\"; filename=plain.txt", "plain.txt"},
      {"form-data; name=\"file\"; filename=\"\"", ""},
      {"form-data; name=\"file\"", std::nullopt},
      {"form-data; name=\"file\"; filename=\"say \\\"hi\\\".txt\"", "say \"hi\".txt"},
      {"form-data; name=\"file\"; filename=\"a;b=c.txt\"", "a;b=c.txt"},
      {"form-data; name=\"file\"; filename=\"C:\\dir\\x.txt\"", "C:\\dir\\x.txt"},
      {"form-data; name=\"file\"; filename=\"r\xc3\xa9sum\xc3\xa9 \xe6\x96\x87.pdf\"",
       "r\xc3\xa9sum\xc3\xa9 \xe6\x96\x87.pdf"},
      {"form-data; name=\"file\"; filename=\"fallback.txt\"; "
       "filename*=UTF-8''%E2%82%AC%20rates.txt",
       "\xe2\x82\xac rates.txt"},
      {"form-data; name=\"file\"; filename*=utf-8'en'%C3%A9t%C3%A9.txt", "\xc3\xa9t\xc3\xa9.txt"},
      {"form-data; name=\"file\"; filename=\"fallback.txt\"; filename*=ISO-8859-1''%E9.txt",
       "fallback.txt"},
      {"form-data; name=\"file\"; filename=\"fallback.txt\"; filename*=UTF-8''%FF.txt",
       "fallback.txt"},
  };
  for (const Case& c : cases) {
    const std::string body =
        "--b\r\nContent-Disposition: " + c.disposition + "\r\n\r\nx\r\n--b--\r\n";
    Result<Parsed> parsed = Parse(body, {}, "b");
    ASSERT_TRUE(parsed.ok()) << c.disposition << ": " << parsed.error().Message();
    ASSERT_EQ(parsed->parts.size(), 1u);
    EXPECT_EQ(parsed->parts[0].name, "file") << c.disposition;
    EXPECT_EQ(parsed->parts[0].filename, c.filename) << c.disposition;
  }
}

TEST(FormDataParser, MalformedFraming) {
  const std::string cd = "Content-Disposition: form-data; name=\"a\"\r\n";
  struct Case {
    const char* what;
    std::string body;
  };
  const Case cases[] = {
      {"empty body", ""},
      {"no boundary anywhere", "just some bytes\r\n"},
      {"other boundary", "--other\r\n" + cd + "\r\nv\r\n--other--\r\n"},
      {"missing final boundary", "--b\r\n" + cd + "\r\nvalue"},
      {"ends after a part's delimiter", "--b\r\n" + cd + "\r\nvalue\r\n--b"},
      {"ends after a part's delimiter and CRLF", "--b\r\n" + cd + "\r\nvalue\r\n--b\r\n"},
      {"ends inside the headers", "--b\r\nContent-Disposition: form-da"},
      {"boundary followed by other bytes", "--bX\r\n" + cd + "\r\nv\r\n--b--"},
      {"boundary followed by a bare LF", "--b\n" + cd + "\r\nv\r\n--b--"},
      {"padding before the close dashes", "--b\r\n" + cd + "\r\nv\r\n--b --"},
      {"header line with a bare LF",
       "--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nv\r\n--b--"},
      {"header line without a colon", "--b\r\n" + cd + "NoColon\r\n\r\nv\r\n--b--"},
      {"header name with a space", "--b\r\n" + cd + "Bad Name: v\r\n\r\nv\r\n--b--"},
      {"folded first line", "--b\r\n folded: v\r\n" + cd + "\r\nv\r\n--b--"},
      {"no headers at all", "--b\r\n\r\nv\r\n--b--"},
      {"no Content-Disposition", "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"},
      {"not form-data", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--b--"},
      {"no name", "--b\r\nContent-Disposition: form-data; filename=x\r\n\r\nv\r\n--b--"},
      {"unterminated quote", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--b--"},
      {"headers too large", "--b\r\n" + cd +
                                "X-Big: " + std::string(FormDataParser::kMaxPartHeaderBytes, 'h') +
                                "\r\n\r\nv\r\n--b--"},
      {"endless boundary line", "--b" + std::string(300, ' ') + "\r\n" + cd + "\r\nv\r\n--b--"},
  };
  for (const Case& c : cases) {
    std::vector<std::vector<size_t>> splits = {{}};
    if (c.body.size() > 5) splits.push_back({5});
    for (const std::vector<size_t>& cuts : splits) {
      Result<Parsed> parsed = Parse(c.body, cuts, "b");
      ASSERT_FALSE(parsed.ok()) << c.what;
      EXPECT_EQ(parsed.error().code, ErrorCode::kMalformedPOSTRequest) << c.what;
      EXPECT_TRUE(parsed.error().Message().starts_with(
          "The body of your POST request is not well-formed multipart/form-data"))
          << parsed.error().Message();
    }
  }
}

TEST(FormDataParser, HeadersArrivingByteByByte) {
  // A part's headers that arrive a byte at a time are parsed once complete.
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"k\"\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n\r\nv\r\n--b--";
  std::vector<size_t> cuts;
  for (size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  Result<Parsed> parsed = Parse(body, cuts, "b");
  ASSERT_TRUE(parsed.ok()) << parsed.error().Message();
  ASSERT_EQ(parsed->parts.size(), 1u);
  EXPECT_EQ(parsed->parts[0].content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(parsed->parts[0].body, "v");
}

TEST(FormDataParser, LargePartStreamsInPiecesNoLargerThanTheReads) {
  FormDataParser parser("b");
  std::string input = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n";
  size_t used = 0;
  ASSERT_EQ(parser.Next(input, &used)->kind, FormDataParser::EventKind::kPartStart);
  EXPECT_EQ(used, input.size());
  uint64_t total = 0;
  const std::string chunk(64 * 1024, '\r');  // all CRs: the worst case for the delimiter search
  std::string pending;
  for (int i = 0; i < 16; ++i) {
    pending += chunk;
    Result<FormDataParser::Event> event = parser.Next(pending, &used);
    ASSERT_TRUE(event.ok());
    ASSERT_EQ(event->kind, FormDataParser::EventKind::kPartData);
    // Only a possible start of the delimiter ("\r") is held back.
    EXPECT_EQ(pending.size() - used, 1u);
    total += used;
    pending.erase(0, used);
  }
  pending += "\r\n--b--";
  Result<FormDataParser::Event> event = parser.Next(pending, &used);
  ASSERT_EQ(event->kind, FormDataParser::EventKind::kPartData);
  total += used;
  pending.erase(0, used);
  EXPECT_EQ(total, 16u * chunk.size());
  EXPECT_EQ(parser.Next(pending, &used)->kind, FormDataParser::EventKind::kPartEnd);
}

}  // namespace
}  // namespace cairn::s3
