// The station's static files (web/), compiled into the quire binary so `quire serve` needs no
// files beside it and fetches nothing at run time. The table is generated at build time by
// app/web_assets.cmake from every file under web/; the bodies live for the whole program.
// Thread-safe: the table is constant.
#pragma once

#include <string_view>

namespace quire::app {

struct WebAsset {
  std::string_view body;
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view etag;          // quoted, from the body's SHA-256: "\"3f9a...\""
};

// The station's file for a request path ("/" is index.html); nullptr when there is none.
const WebAsset* FindWebAsset(std::string_view path);

}  // namespace quire::app
