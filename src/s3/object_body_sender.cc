#include "s3/object_body_sender.h"

namespace cairn::s3 {

Awaitable<Status> SendObjectBody(http::Exchange& exchange, core::ObjectBody& body) {
  for (;;) {
    Result<std::optional<core::BodyPiece>> piece = co_await body.Next();
    if (!piece.ok()) co_return piece.error();
    if (!*piece) co_return Status::Ok();
    const core::BodyPiece& p = **piece;
    if (p.fd >= 0) {
      co_await exchange.SendFile(p.fd, p.offset, p.length);
    } else {
      co_await exchange.WriteBody(p.bytes);
    }
  }
}

}  // namespace cairn::s3
