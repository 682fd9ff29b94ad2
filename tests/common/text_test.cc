#include <catch2/catch.hpp>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/text_fold.h"

namespace quire {
namespace {

TEST_CASE("folding makes case, accents and compatibility forms alike") {
  CHECK(FoldCaseAndAccents("Fälligkeitsdatum") == "falligkeitsdatum");
  CHECK(FoldCaseAndAccents("CAFÉ") == "cafe");
  CHECK(FoldCaseAndAccents("Nº") == "no");
  CHECK(FoldCaseAndAccents("Straße") == "strasse");
  CHECK(FoldCaseAndAccents("ﬁle") == "file");  // the ligature is a compatibility character
  CHECK(FoldCaseAndAccents("Ǆ") == "dz");
  // Control and format characters are dropped; ASCII takes a shortcut, to the same result.
  CHECK(FoldCaseAndAccents("ACME\x01 GmbH-7") == "acme gmbh-7");
  CHECK(FoldCaseAndAccents("in\u200Bvoice") == "invoice");  // a zero-width space
  CHECK(FoldCase("MÜLLER") == "müller");                    // accents kept
  CHECK(FoldCase("Straße") == "strasse");
}

TEST_CASE("boxes overlap when they share area, not when they only touch") {
  const Box box{10, 10, 20, 10};
  CHECK(box.Overlaps(Box{25, 15, 20, 20}));
  CHECK(Box{25, 15, 20, 20}.Overlaps(box));
  CHECK(box.Overlaps(Box{15, 12, 2, 2}));         // inside
  CHECK_FALSE(box.Overlaps(Box{30, 10, 5, 10}));  // touching on the right
  CHECK_FALSE(box.Overlaps(Box{10, 20, 20, 5}));  // touching below
  CHECK_FALSE(box.Overlaps(Box{50, 50, 5, 5}));
}

TEST_CASE("the median word height ignores a tall logo and words without a box") {
  std::vector<OcrWord> words;
  for (int h : {20, 22, 21, 90}) words.push_back({"w", Box{0, 0, 10, h}});
  words.push_back({"no box", Box{}});
  CHECK(MedianWordHeight(words) == 22);
  CHECK(MedianWordHeight({}) == 20);
}

}  // namespace
}  // namespace quire
