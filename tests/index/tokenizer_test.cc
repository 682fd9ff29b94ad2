#include "tokenizer.h"

#include <catch2/catch.hpp>

using quire::index::Fold;
using quire::index::SplitWord;
using quire::index::Tokenizer;

namespace {

std::vector<std::string> Terms(const std::string& text, const std::string& language = "english") {
  auto tokenizer = Tokenizer::Create(language);
  REQUIRE(tokenizer.ok());
  std::vector<std::string> terms;
  tokenizer->ForEachTerm(text, [&](const std::string& term) { terms.push_back(term); });
  return terms;
}

}  // namespace

TEST_CASE("folding removes case and accents") {
  CHECK(Fold("Über") == "uber");
  CHECK(Fold("CAFÉ") == "cafe");
  CHECK(Fold("Straße") == "strasse");
  CHECK(Fold("ﬁle") == "file");  // the ligature is a compatibility character
  CHECK(Fold("Ǆ") == "dz");
  CHECK(Fold("ACME\x01 GmbH-7") == "acme gmbh-7");  // ASCII takes a shortcut, to the same result
}

TEST_CASE("a code is indexed whole and in parts") {
  const auto pieces = SplitWord("INV-2024-00731,");
  CHECK(pieces.whole == "inv-2024-00731");
  CHECK(pieces.parts == std::vector<std::string>{"inv", "2024", "00731"});
  CHECK(Terms("INV-2024-00731") ==
        std::vector<std::string>{"inv-2024-00731", "inv", "2024", "00731"});
}

TEST_CASE("numbers and plain words have no parts, punctuation around them is dropped") {
  CHECK(Terms("(4711)") == std::vector<std::string>{"4711"});
  CHECK(Terms("Total:") == std::vector<std::string>{"total"});
  CHECK(Terms("1,234.50") == std::vector<std::string>{"1,234.50", "1", "234", "50"});
  CHECK(Terms("--- & ...").empty());
}

TEST_CASE("letter words are also indexed by their Snowball stem") {
  CHECK(Terms("invoices") == std::vector<std::string>{"invoices", "Zinvoic"});
  CHECK(Terms("Invoice") == std::vector<std::string>{"invoice", "Zinvoic"});
  CHECK(Terms("total") == std::vector<std::string>{"total"});  // its own stem: no stem term
  CHECK(Terms("Rechnungen", "german") == std::vector<std::string>{"rechnungen", "Zrechnung"});
  CHECK(Terms("ACME-Services") ==
        std::vector<std::string>{"acme-services", "acme", "services", "Zacm", "Zservic"});
}

TEST_CASE("words are split at whitespace, and an unknown language is refused") {
  CHECK(Terms("due  date") == std::vector<std::string>{"due", "date"});
  // ASCII whitespace is told apart without ICU; the rest of Unicode's still splits.
  CHECK(Terms("due\tdate\r\nnet\u00a0sum\u3000tax") ==
        std::vector<std::string>{"due", "date", "net", "sum", "tax"});
  const auto tokenizer = Tokenizer::Create("klingon");
  REQUIRE_FALSE(tokenizer.ok());
  CHECK(tokenizer.status().message().find("klingon") != std::string::npos);
}
