// The time formats of the S3 wire, all in UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

TimePoint NowMillis();

// ISO 8601 basic as SigV4 uses it: 20150830T123600Z.
std::string FormatAmzDate(TimePoint t);
std::optional<TimePoint> ParseAmzDate(std::string_view text);

// RFC 7231 IMF-fixdate: Sun, 30 Aug 2015 12:36:00 GMT. Parse also accepts RFC 850 and asctime
// forms.
std::string FormatHttpDate(TimePoint t);
std::optional<TimePoint> ParseHttpDate(std::string_view text);
// The Date header of a request signed with it rather than X-Amz-Date: an HTTP-date, or the
// IMF-fixdate form with a numeric zone instead of GMT, as RFC 1123 and RFC 5322 allow and
// Python's email.utils.formatdate writes (botocore: "Sun, 30 Aug 2015 12:36:00 -0000").
std::optional<TimePoint> ParseDateHeader(std::string_view text);

// ISO 8601 extended with milliseconds, as S3's XML uses: 2015-08-30T12:36:00.000Z.
std::string FormatIso8601(TimePoint t);
std::optional<TimePoint> ParseIso8601(std::string_view text);

}  // namespace cairn
