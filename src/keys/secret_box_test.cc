#include "keys/secret_box.h"

#include <gtest/gtest.h>

namespace cairn::keys {
namespace {

const std::string kMaster(32, '\x42');

TEST(SecretBoxTest, OpensWhatItSealed) {
  SecretBox box(kMaster, "test");
  const std::string sealed = box.Seal("the secret", "AKID");
  EXPECT_EQ(sealed.find("the secret"), std::string::npos);
  EXPECT_EQ(box.Open(sealed, "AKID").value_or(""), "the secret");
  EXPECT_EQ(sealed.find_first_of("+/="), std::string::npos) << "base64url, no padding";
}

TEST(SecretBoxTest, SealsDifferentlyEachTime) {
  SecretBox box(kMaster, "test");
  EXPECT_NE(box.Seal("same", "a"), box.Seal("same", "a"));
}

TEST(SecretBoxTest, RefusesOtherAssociatedDataPurposeOrKey) {
  SecretBox box(kMaster, "test");
  const std::string sealed = box.Seal("the secret", "AKID");
  EXPECT_FALSE(box.Open(sealed, "OTHER").has_value()) << "a secret moved to another key id";
  EXPECT_FALSE(SecretBox(kMaster, "other purpose").Open(sealed, "AKID").has_value());
  EXPECT_FALSE(SecretBox(std::string(32, '\x43'), "test").Open(sealed, "AKID").has_value());
}

TEST(SecretBoxTest, RefusesTamperedOrMalformedInput) {
  SecretBox box(kMaster, "test");
  std::string sealed = box.Seal("the secret", "AKID");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(box.Open(tampered, "AKID").has_value()) << "byte " << i;
  }
  for (const char* bad : {"", "abc", "!!!!", "AAAA====", "a+b/"}) {
    EXPECT_FALSE(box.Open(bad, "AKID").has_value()) << bad;
  }
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 2), "AKID").has_value());
}

}  // namespace
}  // namespace cairn::keys
