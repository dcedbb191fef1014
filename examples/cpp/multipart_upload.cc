// Multipart upload with the binding-style API: createMultipartUpload, uploadPart, complete, and
// abort when anything fails, so that an incomplete upload does not keep holding storage.
//
//   multipart_upload BUCKET [KEY]
//
// Uploads KEY (default large-file.bin) from two generated parts: 5 MiB (the smallest a non-last
// part may be) and a 1 KiB last part. Prints {"key", "etag"} with the object's httpEtag (quoted,
// "<md5 of the part md5s>-2") as the guide's Worker does.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cairn/client.h"
#include "example_env.h"

namespace {

// Placeholder data: a real application would read chunks of a file or of a request body.
std::string Chunk(size_t size, char seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i % 251);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << argv[0] << " BUCKET [KEY]\n";
    return 2;
  }
  const std::string bucket_name = argv[1];
  const std::string key = argc > 2 ? argv[2] : "large-file.bin";

  std::optional<cairn::MultipartUpload> upload;
  try {
    cairn::Client client(examples::ConfigFromEnv());
    cairn::Bucket bucket = client.bucket(bucket_name);
    upload.emplace(bucket.createMultipartUpload(key));
    try {
      // Each part except the last must be at least 5 MiB.
      cairn::UploadedPart part1 =
          upload->uploadPart(1, cairn::Body::FromString(Chunk(5 << 20, 'a')));
      cairn::UploadedPart part2 = upload->uploadPart(2, cairn::Body::FromString(Chunk(1024, 'b')));

      cairn::ObjectInfo object = upload->complete({part1, part2});
      std::cout << nlohmann::json{{"key", object.key}, {"etag", object.httpEtag}} << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "Multipart upload failed: " << e.what() << "\n";
      try {
        upload->abort();  // best effort: the original error is the one to report
        std::cerr << "aborted upload " << upload->uploadId() << "\n";
      } catch (const std::exception& abort_error) {
        std::cerr << "abort failed too: " << abort_error.what() << "\n";
      }
    }
  } catch (const std::exception& e) {  // creating the client or the upload failed
    std::cerr << "Multipart upload failed: " << e.what() << "\n";
  }
  return 1;
}
