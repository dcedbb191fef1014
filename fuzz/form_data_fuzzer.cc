// multipart/form-data as a POST Object body arrives: the boundary from the Content-Type (first
// input line), then the body parsed as PostFormReader drives the parser (unconsumed bytes kept
// and fed again with more). The body is parsed whole and in small reads; the parts, their
// headers and their data must not depend on the slicing.
#include <string>

#include "fuzz/fuzz_input.h"
#include "s3/form_data.h"

namespace {

using cairn::fuzz::Check;
using cairn::s3::FormDataParser;
using Kind = FormDataParser::EventKind;

// What the parser said, with each part's data joined (reads may cut it anywhere).
struct Transcript {
  std::vector<std::string> events;  // "part <name> <filename> <type> <headers>", data, "end"...
  bool ok = false;
};

Transcript Parse(const std::string& boundary, const std::vector<std::string_view>& slices) {
  FormDataParser parser(boundary);
  Transcript t;
  std::string input;  // bytes not consumed yet, as PostFormReader keeps them
  bool in_data = false;
  auto run = [&]() -> bool {
    for (size_t guard = 0;; ++guard) {
      Check(guard < (1u << 20), "the parser makes no progress");
      size_t consumed = 0;
      auto event = parser.Next(input, &consumed);
      cairn::fuzz::CheckMessage(event);
      if (!event.ok()) return false;
      Check(consumed <= input.size(), "the parser consumed more than it was given");
      const Kind kind = event->kind;
      if (kind == Kind::kPartData) {
        Check(!event->data.empty(), "an empty run of data");
        if (!in_data) t.events.emplace_back();
        t.events.back().append(event->data);
        in_data = true;
      } else if (kind != Kind::kNeedInput) {
        in_data = false;
      }
      if (kind == Kind::kPartStart) {
        const cairn::s3::FormPart& p = parser.part();
        std::string text = "part " + p.name + " " + p.filename.value_or("-") + " " + p.content_type;
        for (const auto& [name, value] : p.headers) text += " " + name + "=" + value;
        t.events.push_back(std::move(text));
      } else if (kind == Kind::kPartEnd) {
        t.events.push_back("end");
      }
      input.erase(0, consumed);
      if (kind == Kind::kNeedInput && consumed == 0) return true;
      if (kind == Kind::kEnd) t.events.push_back("close");
    }
  };
  for (std::string_view slice : slices) {
    input.append(slice);
    if (!run()) return t;
  }
  const cairn::Status finished = parser.Finish();
  cairn::fuzz::CheckMessage(finished);
  t.ok = finished.ok();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> f = cairn::fuzz::Fields(cairn::fuzz::AsText(data, size), 2);
  auto boundary = cairn::s3::FormDataBoundary(f[0]);
  cairn::fuzz::CheckMessage(boundary);
  if (!boundary.ok()) return 0;
  const Transcript whole = Parse(*boundary, {f[1]});
  const uint32_t seed = size > 0 ? data[0] : 0;
  const Transcript sliced = Parse(*boundary, cairn::fuzz::Slices(f[1], seed));
  if (whole.ok && sliced.ok) {
    Check(whole.events == sliced.events, "the parts depend on the slicing");
  }
  Check(whole.ok == sliced.ok, "the outcome depends on the slicing");
  return 0;
}
