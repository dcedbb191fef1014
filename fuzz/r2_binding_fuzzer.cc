// The R2 binding's request JSON (CF-R2-Request header or the front of a PUT body), as workerd
// sends it and as anyone reaching the S3 listener can: parsed, then what cairn derives from it (the
// range it selects of an object, onlyIf, the record and error JSON it answers with). The input is
// the JSON; the object's size is the input's length.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.h"
#include "s3/r2_binding/binding_conditions.h"
#include "s3/r2_binding/binding_errors.h"
#include "s3/r2_binding/binding_range.h"
#include "s3/r2_binding/binding_records.h"
#include "s3/r2_binding/binding_request.h"

namespace {

bool PrintableAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::s3::binding;
  const std::string_view json = cairn::fuzz::AsText(data, size);
  cairn::Result<BindingRequest> request = ParseBindingRequest(json);
  if (!request.ok()) {
    const std::string header = ErrorHeaderValue(ToBindingError(request.error()));
    cairn::fuzz::Check(PrintableAscii(header), "an error header that is not printable ASCII");
    return 0;
  }
  auto range = SelectRange(*request, size);
  if (range.ok() && *range) {
    cairn::fuzz::Check((*range)->first <= (*range)->last && (*range)->last < size,
                       "a range outside the object");
  }
  cairn::core::ObjectRecord object;
  object.key = request->key;
  object.size = size;
  object.etag = "5d41402abc4b2a76b9719d911017c592";
  object.user_metadata = request->custom;
  object.http.content_type = request->http.content_type;
  const bool holds = ConditionHolds(request->only_if,
                                    cairn::core::ObjectState{object.etag, object.last_modified});
  (void)holds;
  const std::string record = RenderObject(object, {});
  cairn::fuzz::Check(PrintableAscii(record), "a record that is not printable ASCII");
  cairn::fuzz::Check(!nlohmann::json::parse(record, nullptr, false).is_discarded(),
                     "a record that is not JSON");
  return 0;
}
