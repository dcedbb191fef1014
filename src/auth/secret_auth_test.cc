#include "auth/secret_auth.h"

#include <gtest/gtest.h>

#include "auth/fixed_credentials.h"

namespace cairn::auth {
namespace {

const CredentialLookup kKeys = FixedCredentials({{"AKIDBINDING", "the-secret-of-the-key"}});

TEST(AuthenticateSecret, TheKeysSecretAuthenticatesAsTheKey) {
  Result<AuthContext> auth = AuthenticateSecret("AKIDBINDING", "the-secret-of-the-key", kKeys);
  ASSERT_TRUE(auth.ok()) << auth.error().message;
  EXPECT_EQ(auth->access_key_id, "AKIDBINDING");
  ASSERT_NE(auth->principal, nullptr);
  EXPECT_EQ(auth->principal->access_key_id, "AKIDBINDING");
}

TEST(AuthenticateSecret, AnyOtherSecretIsRefused) {
  for (std::string_view wrong :
       {"", "the-secret-of-the-ke", "the-secret-of-the-key ", "THE-SECRET-OF-THE-KEY"}) {
    Result<AuthContext> auth = AuthenticateSecret("AKIDBINDING", wrong, kKeys);
    ASSERT_FALSE(auth.ok()) << wrong;
    EXPECT_EQ(auth.error().code, ErrorCode::kSignatureDoesNotMatch);
  }
}

TEST(AuthenticateSecret, UnknownOrMissingKeyIdIsInvalidAccessKeyId) {
  for (std::string_view id : {"", "AKIDOTHER"}) {
    Result<AuthContext> auth = AuthenticateSecret(id, "the-secret-of-the-key", kKeys);
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.error().code, ErrorCode::kInvalidAccessKeyId);
  }
}

}  // namespace
}  // namespace cairn::auth
