// The whole request pipeline in one place: request id, health check, routing, authentication,
// dispatch to the operation's handler, and the one catch-all that turns a stray exception into
// InternalError.
#pragma once

#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

Awaitable<void> HandleRequest(Services& services, http::Exchange& exchange);

}  // namespace cairn::s3
