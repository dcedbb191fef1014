// The dashboard's web assets, built from web/ by esbuild at build time and compiled into the
// binary (web/embed.mjs writes the table), so `cairn serve` needs no files and no network to
// serve them.
#pragma once

#include <span>
#include <string_view>

namespace cairn::dashboard {

struct Asset {
  std::string_view path;          // relative to /_cairn/ui/: "index.html", "app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted strong validator: a hash of the bytes
  std::string_view bytes;
};

// Every embedded asset (generated code).
std::span<const Asset> EmbeddedAssets();

// The asset at `path` (relative to /_cairn/ui/; empty means index.html), or null.
const Asset* FindAsset(std::string_view path);

}  // namespace cairn::dashboard
