// For tests only: the cases of AWS's SigV4 test suite (tests/data/aws4_testsuite) that the signer
// tests run, and a GoogleTest name for each. Shared by the server's and the client's signer tests.
// Left out: get-vanilla-with-session-token, whose .req lacks the token header its .creq signs.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace cairn::auth::testing_support {

inline constexpr const char* kAws4TestCases[] = {"get-header-key-duplicate",
                                                 "get-header-value-multiline",
                                                 "get-header-value-order",
                                                 "get-header-value-trim",
                                                 "get-unreserved",
                                                 "get-utf8",
                                                 "get-vanilla",
                                                 "get-vanilla-empty-query-key",
                                                 "get-vanilla-query",
                                                 "get-vanilla-query-order-encoded",
                                                 "get-vanilla-query-order-key",
                                                 "get-vanilla-query-order-key-case",
                                                 "get-vanilla-query-order-value",
                                                 "get-vanilla-query-unreserved",
                                                 "get-vanilla-utf8-query",
                                                 "normalize-path/get-relative",
                                                 "normalize-path/get-relative-relative",
                                                 "normalize-path/get-slash",
                                                 "normalize-path/get-slash-dot-slash",
                                                 "normalize-path/get-slash-pointless-dot",
                                                 "normalize-path/get-slashes",
                                                 "normalize-path/get-space",
                                                 "normalize-path/get-special-character",
                                                 "post-header-key-case",
                                                 "post-header-key-sort",
                                                 "post-header-value-case",
                                                 "post-sts-token/post-sts-header-after",
                                                 "post-sts-token/post-sts-header-before",
                                                 "post-vanilla",
                                                 "post-vanilla-empty-query-value",
                                                 "post-vanilla-query",
                                                 "post-x-www-form-urlencoded",
                                                 "post-x-www-form-urlencoded-parameters"};

// "normalize-path/get-slash" -> "normalize_path_get_slash": GoogleTest names allow neither.
inline std::string Aws4TestName(const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (c == '-' || c == '/') c = '_';
  }
  return name;
}

}  // namespace cairn::auth::testing_support
