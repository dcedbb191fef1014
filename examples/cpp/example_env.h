// Shared by the C++ examples: where the server is and with which keys, from the environment, as
// every example in this folder reads them:
//
//   CAIRN_ENDPOINT           http://127.0.0.1:9000 (or an https:// URL)
//   CAIRN_ACCESS_KEY_ID      the access key
//   CAIRN_SECRET_ACCESS_KEY  its secret
//   CAIRN_REGION             optional; R2 and cairn use "auto"
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>

#include "cairn/client.h"

namespace examples {

inline std::string RequireEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    std::cerr << "error: set " << name
              << " (CAIRN_ENDPOINT, CAIRN_ACCESS_KEY_ID and CAIRN_SECRET_ACCESS_KEY are needed)\n";
    std::exit(2);
  }
  return value;
}

inline cairn::ClientConfig ConfigFromEnv() {
  cairn::ClientConfig config;
  config.endpoint = RequireEnv("CAIRN_ENDPOINT");
  config.accessKeyId = RequireEnv("CAIRN_ACCESS_KEY_ID");
  config.secretAccessKey = RequireEnv("CAIRN_SECRET_ACCESS_KEY");
  if (const char* region = std::getenv("CAIRN_REGION"); region != nullptr && *region != '\0') {
    config.region = region;
  }
  return config;
}

}  // namespace examples
