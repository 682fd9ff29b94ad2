#include "tokenizer.h"

#include <catch2/catch.hpp>

using quire::index::SplitWord;
using quire::index::Tokenizer;

namespace {

std::vector<std::string> Terms(const std::string& text, const std::string& language = "english") {
  auto tokenizer = Tokenizer::Create(language);
  REQUIRE(tokenizer.ok());
  std::vector<std::string> terms;
  tokenizer->ForEachTerm(text, [&](std::string_view term) { terms.emplace_back(term); });
  return terms;
}

}  // namespace

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

TEST_CASE("a word's terms are the same from the cache, also once it starts afresh") {
  auto tokenizer = Tokenizer::Create("english");
  REQUIRE(tokenizer.ok());
  const auto terms_of = [&](const std::string& text) {
    std::vector<std::string> terms;
    tokenizer->ForEachTerm(text, [&](std::string_view term) { terms.emplace_back(term); });
    return terms;
  };
  const std::vector<std::string> invoices = {"invoices", "Zinvoic"};
  CHECK(terms_of("invoices") == invoices);
  CHECK(terms_of("invoices INVOICES") ==
        std::vector<std::string>{"invoices", "Zinvoic", "invoices", "Zinvoic"});
  // Too long to cache (over 255 bytes), and its terms too long to index (over kMaxTermBytes).
  const std::string long_code = std::string(200, 'a') + "-" + std::string(100, 'b') + "-7";
  CHECK(terms_of(long_code) == std::vector<std::string>{"7"});
  CHECK(terms_of(long_code) == std::vector<std::string>{"7"});
  // More distinct words than the cache holds: it starts afresh on the way.
  for (int i = 0; i < 150000; ++i) {
    const std::string word = "w-" + std::to_string(i);
    REQUIRE(terms_of(word) == std::vector<std::string>{word, "w", std::to_string(i)});
  }
  CHECK(terms_of("invoices") == invoices);
  CHECK(terms_of("invoices") == invoices);
}
