// What commands print. Every command has two forms of output: lines for people, and with --json
// one JSON document on stdout for scripts, whose field names follow R2's Workers binding (key,
// size, etag, httpEtag, uploaded, httpMetadata, customMetadata, ...) so that a script written
// against one reads the other. Messages and the progress bar go to stderr, never into the result.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cairn/client.h"

namespace cairn::cli {

using Json = nlohmann::ordered_json;  // fields in the order written, for readable output

std::string FormatTime(Time t);  // ISO 8601 UTC, milliseconds

Json ObjectInfoJson(const ObjectInfo& info);

// "key: value" lines of an object's description (head, put).
std::string DescribeObject(const ObjectInfo& info);

// One "name:   value" line of such a description, values aligned in one column, newline included.
std::string FieldLine(const std::string& name, const std::string& value);

// One JSON document, indented, then a newline, on stdout.
void PrintJson(const Json& document);

// A line on stdout.
void PrintLine(const std::string& line);

}  // namespace cairn::cli
