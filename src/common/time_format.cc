// The S3 time formats, formatted and parsed by hand rather than with strftime/strptime: those
// follow the process locale for day and month names, and strptime accepts more than the wire
// formats allow (leading spaces, one-digit fields). Conversion to and from calendar time goes
// through std::chrono's calendar (UTC only), so the TZ environment never matters.
#include "common/time_format.h"

#include <chrono>

namespace cairn {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kLongDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A time point's calendar fields in UTC. From std::chrono's calendar rather than gmtime_r, which
// takes glibc's time-zone lock on every call (twice per GET: Date and Last-Modified).
struct Parts {
  int year, month, day, weekday;  // month 1-12, weekday 0 = Sunday
  int hour, minute, second, millis;
};

Parts Split(TimePoint t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);  // floor, also for times before 1970
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{t - day};
  return Parts{static_cast<int>(date.year()),
               static_cast<int>(static_cast<unsigned>(date.month())),
               static_cast<int>(static_cast<unsigned>(date.day())),
               static_cast<int>(weekday{day}.c_encoding()),
               static_cast<int>(time.hours().count()),
               static_cast<int>(time.minutes().count()),
               static_cast<int>(time.seconds().count()),
               static_cast<int>(time.subseconds().count())};
}

// `value` as exactly `width` decimal digits (zero-padded; the fields here never need more).
void AppendDigits(std::string& out, int value, int width) {
  char digits[8];
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
  out.append(digits, static_cast<size_t>(width));
}

// hh:mm:ss
void AppendClock(std::string& out, const Parts& p) {
  AppendDigits(out, p.hour, 2);
  out.push_back(':');
  AppendDigits(out, p.minute, 2);
  out.push_back(':');
  AppendDigits(out, p.second, 2);
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

// Builds a TimePoint after checking the field ranges: "Feb 31" is refused, not read as March.
std::optional<TimePoint> Make(int year, int month0, int day, int hour, int min, int sec,
                              int millis) {
  using namespace std::chrono;
  if (month0 < 0 || month0 > 11 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{year}, month{static_cast<unsigned>(month0 + 1)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second: the clock has no room for it
  return TimePoint(sys_days{date} + hours{hour} + minutes{min} + seconds{sec} +
                   milliseconds{millis});
}

// "12:36:00"
bool ParseClock(Scanner& s, int* hour, int* min, int* sec) {
  return s.Digits(2, hour) && s.Literal(":") && s.Digits(2, min) && s.Literal(":") &&
         s.Digits(2, sec);
}

// " +hhmm" or " -hhmm" (RFC 5322 section 3.3 zone; RFC 1123 section 5.2.14 allows it in
// HTTP-era dates): the local time's offset from UTC, in seconds. Hours up to 23, minutes up to 59.
bool ParseNumericZone(Scanner& s, int* offset_seconds) {
  int sign;
  if (s.Literal(" +")) {
    sign = 1;
  } else if (s.Literal(" -")) {
    sign = -1;
  } else {
    return false;
  }
  int hours, minutes;
  if (!s.Digits(2, &hours) || !s.Digits(2, &minutes) || hours > 23 || minutes > 59) return false;
  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return true;
}

// Sun, 30 Aug 2015 12:36:00 GMT, and with `numeric_zone` also Sun, 30 Aug 2015 13:36:00 +0100.
std::optional<TimePoint> ParseImfFixdate(std::string_view text, bool numeric_zone) {
  Scanner s(text);
  int wday, day, month, year, hour, min, sec;
  if (!(s.OneOf(kDays, &wday) && s.Literal(", ") && s.Digits(2, &day) && s.Literal(" ") &&
        s.OneOf(kMonths, &month) && s.Literal(" ") && s.Digits(4, &year) && s.Literal(" ") &&
        ParseClock(s, &hour, &min, &sec))) {
    return std::nullopt;
  }
  int offset_seconds = 0;
  if (!s.Literal(" GMT") && !(numeric_zone && ParseNumericZone(s, &offset_seconds))) {
    return std::nullopt;
  }
  if (!s.Done()) return std::nullopt;
  std::optional<TimePoint> local = Make(year, month, day, hour, min, sec, 0);
  if (!local) return std::nullopt;
  return *local - std::chrono::seconds(offset_seconds);
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
  const Parts p = Split(t);
  std::string out;
  out.reserve(16);
  AppendDigits(out, p.year, 4);
  AppendDigits(out, p.month, 2);
  AppendDigits(out, p.day, 2);
  out.push_back('T');
  AppendDigits(out, p.hour, 2);
  AppendDigits(out, p.minute, 2);
  AppendDigits(out, p.second, 2);
  out.push_back('Z');
  return out;
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
  const Parts p = Split(t);
  std::string out;
  out.reserve(29);
  out.append(kDays[p.weekday]).append(", ");
  AppendDigits(out, p.day, 2);
  out.append(" ").append(kMonths[p.month - 1]).append(" ");
  AppendDigits(out, p.year, 4);
  out.push_back(' ');
  AppendClock(out, p);
  out.append(" GMT");
  return out;
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // The weekday is not checked against the date: RFC 7231 lets recipients ignore it, and clients
  // that compute it wrongly still mean the date they wrote.
  if (auto t = ParseImfFixdate(text, /*numeric_zone=*/false)) return t;
  if (auto t = ParseRfc850(text)) return t;
  return ParseAsctime(text);
}

std::optional<TimePoint> ParseDateHeader(std::string_view text) {
  if (auto t = ParseImfFixdate(text, /*numeric_zone=*/true)) return t;
  return ParseHttpDate(text);
}

std::string FormatIso8601(TimePoint t) {
  const Parts p = Split(t);
  std::string out;
  out.reserve(24);
  AppendDigits(out, p.year, 4);
  out.push_back('-');
  AppendDigits(out, p.month, 2);
  out.push_back('-');
  AppendDigits(out, p.day, 2);
  out.push_back('T');
  AppendClock(out, p);
  out.push_back('.');
  AppendDigits(out, p.millis, 3);
  out.push_back('Z');
  return out;
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
