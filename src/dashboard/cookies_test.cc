#include "dashboard/cookies.h"

#include <gtest/gtest.h>

namespace cairn::dashboard {
namespace {

TEST(CookieValue, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(CookieValue("cairn_session=abc", "cairn_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark; cairn_session=abc; x=1", "cairn_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark;cairn_session=\"abc\"", "cairn_session"), "abc");
  EXPECT_EQ(CookieValue("  cairn_session = abc  ", "cairn_session"), "abc");
}

TEST(CookieValue, AbsentOrSimilarNamesAreNotIt) {
  EXPECT_FALSE(CookieValue("", "cairn_session"));
  EXPECT_FALSE(CookieValue("cairn_session_old=abc; xcairn_session=def", "cairn_session"));
  EXPECT_FALSE(CookieValue("cairn_session", "cairn_session"));
}

TEST(SessionCookie, IsHttpOnlyStrictAndScopedToTheDashboard) {
  EXPECT_EQ(SessionCookie("tok", std::chrono::seconds(3600), false),
            "cairn_session=tok; Max-Age=3600; Path=/_cairn/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionCookie("tok", std::chrono::seconds(60), true),
            "cairn_session=tok; Max-Age=60; Path=/_cairn/; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(ExpiredSessionCookie(false),
            "cairn_session=; Max-Age=0; Path=/_cairn/; HttpOnly; SameSite=Strict");
}

}  // namespace
}  // namespace cairn::dashboard
