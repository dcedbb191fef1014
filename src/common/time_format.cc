// The S3 time formats, formatted and parsed by hand rather than with strftime/strptime: those
// follow the process locale for day and month names, and strptime accepts more than the wire
// formats allow (leading spaces, one-digit fields). Conversion to and from calendar time goes
// through timegm/gmtime_r so the TZ environment never matters.
#include "common/time_format.h"

#include <time.h>

#include <cstdio>
#include <cstring>

namespace cairn {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kLongDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Parts {
  struct tm tm;
  int millis;
};

Parts Split(TimePoint t) {
  auto ms = t.time_since_epoch().count();
  auto secs = ms / 1000;
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {  // floor, for times before 1970
    millis += 1000;
    --secs;
  }
  time_t tt = static_cast<time_t>(secs);
  Parts p{};
  gmtime_r(&tt, &p.tm);
  p.millis = millis;
  return p;
}

// A cursor over the input that consumes exact pieces; every failure is final.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Literal(std::string_view lit) {
    if (s_.substr(0, lit.size()) != lit) return false;
    s_.remove_prefix(lit.size());
    return true;
  }
  // Exactly `n` decimal digits.
  bool Digits(int n, int* out) {
    if (s_.size() < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = s_[i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    s_.remove_prefix(n);
    *out = v;
    return true;
  }
  // The index of the name in `names` that the input starts with.
  template <size_t N>
  bool OneOf(const char* const (&names)[N], int* out) {
    for (size_t i = 0; i < N; ++i) {
      if (Literal(names[i])) {
        *out = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  bool Done() const { return s_.empty(); }
  char Peek() const { return s_.empty() ? '\0' : s_.front(); }

 private:
  std::string_view s_;
};

// Builds a TimePoint after checking the field ranges, since timegm would silently normalize
// "Feb 31" into March.
std::optional<TimePoint> Make(int year, int month0, int day, int hour, int min, int sec,
                              int millis) {
  if (month0 < 0 || month0 > 11 || day < 1 || hour > 23 || min > 59 || sec > 60) {
    return std::nullopt;
  }
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDaysIn[month0] || (month0 == 1 && day == 29 && !leap)) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second: time_t has no room for it
  struct tm tm {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month0;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  time_t tt = timegm(&tm);
  return TimePoint(std::chrono::milliseconds(static_cast<int64_t>(tt) * 1000 + millis));
}

// "12:36:00"
bool ParseClock(Scanner& s, int* hour, int* min, int* sec) {
  return s.Digits(2, hour) && s.Literal(":") && s.Digits(2, min) && s.Literal(":") &&
         s.Digits(2, sec);
}

// Sun, 30 Aug 2015 12:36:00 GMT
std::optional<TimePoint> ParseImfFixdate(std::string_view text) {
  Scanner s(text);
  int wday, day, month, year, hour, min, sec;
  if (s.OneOf(kDays, &wday) && s.Literal(", ") && s.Digits(2, &day) && s.Literal(" ") &&
      s.OneOf(kMonths, &month) && s.Literal(" ") && s.Digits(4, &year) && s.Literal(" ") &&
      ParseClock(s, &hour, &min, &sec) && s.Literal(" GMT") && s.Done()) {
    return Make(year, month, day, hour, min, sec, 0);
  }
  return std::nullopt;
}

// Sunday, 30-Aug-15 12:36:00 GMT. RFC 7231 7.1.1.1: a two-digit year more than 50 years in the
// future means the past century; we use the simpler fixed pivot of 1970.
std::optional<TimePoint> ParseRfc850(std::string_view text) {
  Scanner s(text);
  int wday, day, month, year, hour, min, sec;
  if (s.OneOf(kLongDays, &wday) && s.Literal(", ") && s.Digits(2, &day) && s.Literal("-") &&
      s.OneOf(kMonths, &month) && s.Literal("-") && s.Digits(2, &year) && s.Literal(" ") &&
      ParseClock(s, &hour, &min, &sec) && s.Literal(" GMT") && s.Done()) {
    year += year < 70 ? 2000 : 1900;
    return Make(year, month, day, hour, min, sec, 0);
  }
  return std::nullopt;
}

// Sun Aug 30 12:36:00 2015 (the day of month is space-padded: "Aug  3").
std::optional<TimePoint> ParseAsctime(std::string_view text) {
  Scanner s(text);
  int wday, day, month, year, hour, min, sec;
  if (!(s.OneOf(kDays, &wday) && s.Literal(" ") && s.OneOf(kMonths, &month) && s.Literal(" "))) {
    return std::nullopt;
  }
  if (s.Literal(" ")) {
    if (!s.Digits(1, &day)) return std::nullopt;
  } else if (!s.Digits(2, &day)) {
    return std::nullopt;
  }
  if (s.Literal(" ") && ParseClock(s, &hour, &min, &sec) && s.Literal(" ") && s.Digits(4, &year) &&
      s.Done()) {
    return Make(year, month, day, hour, min, sec, 0);
  }
  return std::nullopt;
}

}  // namespace

TimePoint NowMillis() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
}

std::string FormatAmzDate(TimePoint t) {
  Parts p = Split(t);
  char buf[64];  // room for any int field, which keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof(buf), "%04d%02d%02dT%02d%02d%02dZ", p.tm.tm_year + 1900,
                p.tm.tm_mon + 1, p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec);
  return buf;
}

std::optional<TimePoint> ParseAmzDate(std::string_view text) {
  Scanner s(text);
  int year, month, day, hour, min, sec;
  if (s.Digits(4, &year) && s.Digits(2, &month) && s.Digits(2, &day) && s.Literal("T") &&
      s.Digits(2, &hour) && s.Digits(2, &min) && s.Digits(2, &sec) && s.Literal("Z") && s.Done()) {
    return Make(year, month - 1, day, hour, min, sec, 0);
  }
  return std::nullopt;
}

std::string FormatHttpDate(TimePoint t) {
  Parts p = Split(t);
  char buf[96];  // room for any int field, which keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[p.tm.tm_wday],
                p.tm.tm_mday, kMonths[p.tm.tm_mon], p.tm.tm_year + 1900, p.tm.tm_hour, p.tm.tm_min,
                p.tm.tm_sec);
  return buf;
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // The weekday is not checked against the date: RFC 7231 lets recipients ignore it, and clients
  // that compute it wrongly still mean the date they wrote.
  if (auto t = ParseImfFixdate(text)) return t;
  if (auto t = ParseRfc850(text)) return t;
  return ParseAsctime(text);
}

std::string FormatIso8601(TimePoint t) {
  Parts p = Split(t);
  char buf[96];  // room for any int field, which keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", p.tm.tm_year + 1900,
                p.tm.tm_mon + 1, p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.millis);
  return buf;
}

std::optional<TimePoint> ParseIso8601(std::string_view text) {
  Scanner s(text);
  int year, month, day, hour, min, sec;
  if (!(s.Digits(4, &year) && s.Literal("-") && s.Digits(2, &month) && s.Literal("-") &&
        s.Digits(2, &day) && s.Literal("T") && ParseClock(s, &hour, &min, &sec))) {
    return std::nullopt;
  }
  // Any number of fraction digits; precision beyond milliseconds is truncated.
  int millis = 0;
  if (s.Literal(".")) {
    int digits = 0, d;
    while (s.Peek() >= '0' && s.Peek() <= '9') {
      s.Digits(1, &d);
      if (digits < 3) millis = millis * 10 + d;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  s.Literal("Z");
  if (!s.Done()) return std::nullopt;
  return Make(year, month - 1, day, hour, min, sec, millis);
}

}  // namespace cairn
