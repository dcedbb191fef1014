// MultipartUpload (R2MultipartUpload) and the S3 requests behind it. The binding's object has no
// state on the client beyond its key and upload id, so resumeMultipartUpload needs no request.
#include <algorithm>

#include "cairn/client.h"
#include "client/client_impl.h"
#include "client/multipart_internal.h"
#include "client/object_headers.h"

namespace cairn {
namespace client {

UploadedPart UploadPart(Client::Impl& impl, const UploadTarget& target, uint32_t part_number,
                        Body& body, const std::string& content_md5) {
  Request request{"PUT",
                  target.bucket,
                  target.key,
                  {{"partNumber", std::to_string(part_number)}, {"uploadId", target.upload_id}}};
  if (!content_md5.empty()) request.headers.emplace_back("content-md5", content_md5);
  request.body = &body;
  HttpResponse response = impl.Send(request);
  ExpectSuccess(response);
  return UploadedPart{part_number, UnquoteEtag(response.Header("etag").value_or(""))};
}

std::vector<ListedPart> ListAllParts(Client::Impl& impl, const UploadTarget& target) {
  std::vector<ListedPart> parts;
  std::string marker;
  for (;;) {
    Request request{"GET", target.bucket, target.key, {{"uploadId", target.upload_id}}};
    if (!marker.empty()) request.query.emplace_back("part-number-marker", marker);
    HttpResponse response = impl.Send(request);
    ExpectSuccess(response);
    XmlElement doc = ParseAnswer(response, "ListParts");
    for (const XmlElement* p : doc.Children("Part")) {
      parts.push_back(ListedPart{
          static_cast<uint32_t>(std::strtoul(p->ChildText("PartNumber").c_str(), nullptr, 10)),
          UnquoteEtag(p->ChildText("ETag")),
          std::strtoull(p->ChildText("Size").c_str(), nullptr, 10), p->ChildText("LastModified")});
    }
    const std::string next = doc.ChildText("NextPartNumberMarker");
    if (doc.ChildText("IsTruncated") != "true" || next.empty() || next == marker) break;
    marker = next;
  }
  return parts;
}

ObjectInfo CompleteUpload(Client::Impl& impl, const UploadTarget& target,
                          std::vector<UploadedPart> parts, const Conditional& only_if) {
  std::sort(parts.begin(), parts.end(), [](const UploadedPart& a, const UploadedPart& b) {
    return a.partNumber < b.partNumber;
  });
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>";
  for (const UploadedPart& part : parts) {
    xml += "<Part><PartNumber>" + std::to_string(part.partNumber) + "</PartNumber><ETag>" +
           XmlEscape(QuoteEtag(part.etag)) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Body body = Body::FromString(xml);
  Request request{"POST",
                  target.bucket,
                  target.key,
                  {{"uploadId", target.upload_id}},
                  {{"content-type", "application/xml"}},
                  &body};
  AddConditions(only_if, request.headers);
  HttpResponse response = impl.Send(request);
  ExpectSuccess(response);
  // S3 may answer 200 and then report a failure in the body (the answer is sent while it works).
  XmlElement doc = ParseAnswer(response, "CompleteMultipartUpload");
  if (doc.name == "Error") ThrowS3Error(response);

  ObjectInfo info;
  info.key = target.key;
  info.etag = UnquoteEtag(doc.ChildText("ETag"));
  info.httpEtag = QuoteEtag(info.etag);
  info.uploaded = std::chrono::system_clock::now();
  // The answer has no size, time or metadata; the object's HEAD does, unless it was replaced.
  Request head{"HEAD", target.bucket, target.key, {}, {{"x-amz-checksum-mode", "ENABLED"}}};
  HttpResponse described = impl.Send(head);
  if (described.status / 100 == 2) {
    ObjectInfo full = ObjectInfoFromHeaders(target.key, described);
    if (full.etag == info.etag) return full;
  }
  return info;
}

void AbortUpload(Client::Impl& impl, const UploadTarget& target) {
  Request request{"DELETE", target.bucket, target.key, {{"uploadId", target.upload_id}}};
  ExpectSuccess(impl.Send(request));
}

}  // namespace client

UploadedPart MultipartUpload::uploadPart(uint32_t partNumber, Body body) {
  return client::UploadPart(client_->impl(), {bucket_, key_, uploadId_}, partNumber, body);
}

std::vector<UploadedPart> MultipartUpload::listParts() {
  std::vector<UploadedPart> out;
  for (const client::ListedPart& p :
       client::ListAllParts(client_->impl(), {bucket_, key_, uploadId_})) {
    out.push_back(UploadedPart{p.part_number, p.etag});
  }
  return out;
}

ObjectInfo MultipartUpload::complete(const std::vector<UploadedPart>& parts) {
  return client::CompleteUpload(client_->impl(), {bucket_, key_, uploadId_}, parts);
}

void MultipartUpload::abort() { client::AbortUpload(client_->impl(), {bucket_, key_, uploadId_}); }

}  // namespace cairn
