// Sends an object's bytes as the core service hands them over (core/object_read.h): a piece in a
// file zero-copy, a piece in memory as it is. GetObject and the R2 binding's get both answer so.
#pragma once

#include "common/awaitable.h"
#include "common/status.h"
#include "core/object_read.h"
#include "http/exchange.h"

namespace cairn::s3 {

// Sends every piece of `body` after a response head the caller wrote. Errors: the blob engine's
// (the head is out by then: the caller can only close the connection).
Awaitable<Status> SendObjectBody(http::Exchange& exchange, core::ObjectBody& body);

}  // namespace cairn::s3
