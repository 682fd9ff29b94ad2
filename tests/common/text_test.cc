#include <catch2/catch.hpp>
#include <vector>

#include "quire/common/page.h"
#include "quire/common/text_fold.h"

namespace quire {
namespace {

TEST_CASE("folding makes case, accents and compatibility forms alike") {
  CHECK(FoldCaseAndAccents("Fälligkeitsdatum") == "falligkeitsdatum");
  CHECK(FoldCaseAndAccents("N\xC2\xBA") == "no");  // Nº
  CHECK(FoldCaseAndAccents("Stra\xC3\x9F"
                           "e") == "strasse");            // Straße
  CHECK(FoldCaseAndAccents("\xEF\xAC\x81le") == "file");  // the ligature ﬁ
  CHECK(FoldCaseAndAccents("INV-2024\x07"
                           "07") == "inv-202407");                // control characters dropped
  CHECK(FoldCaseAndAccents("in\xE2\x80\x8Bvoice") == "invoice");  // a zero-width space too
  CHECK(FoldCase("M\xC3\x9CLLER") == "m\xC3\xBCller");            // MÜLLER -> müller, accent kept
  CHECK(FoldCase("Stra\xC3\x9F"
                 "e") == "strasse");
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
