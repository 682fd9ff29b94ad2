#include <catch2/catch.hpp>

#include "quire/capture/capture.h"
#include "test_pages.h"

namespace quire::capture {
namespace {

using testing::Encode;
using testing::TextPage;

TEST_CASE("a clean page is read") {
  CaptureOptions options;
  auto capturer = Capturer::Create(options);
  REQUIRE(capturer.ok());
  auto doc = (*capturer)->Capture(Encode(TextPage(), ".png"), "page.png");
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].text.find("quick brown fox") != std::string::npos);
}

}  // namespace
}  // namespace quire::capture
