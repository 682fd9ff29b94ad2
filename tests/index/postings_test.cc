#include "postings.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using quire::index::DecodeDocMeta;
using quire::index::DocMeta;
using quire::index::EncodeDocMeta;
using quire::index::EncodePosting;

namespace {

std::string Cbor(const nlohmann::json& j) {
  const std::vector<uint8_t> bytes = nlohmann::json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("a document's index entry reads back as written") {
  DocMeta meta;
  meta.length = 70000;  // wider than a one-byte CBOR argument
  meta.type = "invoice";
  meta.title = std::string(300, 't');  // a two-byte text length
  meta.ranges = {{"date", "2024-03-15"}, {"total", std::string("\x80\x01\x02", 3)}};
  meta.vendor = "ACME GmbH";
  meta.tags = {"paid", "2024"};
  meta.needs_review = false;
  quire::Result<DocMeta> read = DecodeDocMeta(EncodeDocMeta(meta));
  REQUIRE(read.ok());
  CHECK(read->length == meta.length);
  CHECK(read->type == meta.type);
  CHECK(read->title == meta.title);
  CHECK(read->ranges == meta.ranges);
  CHECK(read->vendor == meta.vendor);
  CHECK(read->tags == meta.tags);
  CHECK(read->needs_review == std::optional<bool>(false));
}

TEST_CASE("an index entry written before facets, or by a later version, still reads") {
  // Entries written before search results had facets hold the first four keys alone.
  quire::Result<DocMeta> old = DecodeDocMeta(Cbor({{"len", 12},
                                                   {"type", "receipt"},
                                                   {"title", "x.png"},
                                                   {"ranges", nlohmann::json::object()}}));
  REQUIRE(old.ok());
  CHECK(old->length == 12);
  CHECK(old->vendor.empty());
  CHECK(old->tags.empty());
  CHECK_FALSE(old->needs_review.has_value());
  // Keys this version does not know are skipped, whatever they hold.
  quire::Result<DocMeta> later = DecodeDocMeta(
      Cbor({{"len", 1},
            {"new", {{"a", {1, -2, 2.5, nullptr, "s"}}, {"b", nlohmann::json::binary({1, 2})}}},
            {"type", "letter"},
            {"title", "t"},
            {"ranges", {{"date", "2020-01-01"}}},
            {"review", true}}));
  REQUIRE(later.ok());
  CHECK(later->type == "letter");
  CHECK(later->ranges.at("date") == "2020-01-01");
  CHECK(later->needs_review == std::optional<bool>(true));
}

TEST_CASE("a damaged index entry is reported, not read") {
  DocMeta meta;
  meta.type = "invoice";
  meta.title = "INV-1";
  meta.ranges = {{"date", "2024-03-15"}};
  meta.tags = {"paid"};
  const std::string encoded = EncodeDocMeta(meta);
  for (size_t size = 0; size < encoded.size(); ++size) {
    INFO("cut to " << size << " bytes");
    CHECK(DecodeDocMeta(encoded.substr(0, size)).status().code() ==
          quire::Status::Code::kCorruption);
  }
  CHECK_FALSE(DecodeDocMeta(encoded + "x").ok());
  CHECK_FALSE(DecodeDocMeta(Cbor({{"len", 1}, {"type", "t"}, {"title", "t"}})).ok());  // no ranges
  CHECK_FALSE(
      DecodeDocMeta(
          Cbor({{"len", "1"}, {"type", "t"}, {"title", "t"}, {"ranges", nlohmann::json::object()}}))
          .ok());
  CHECK_FALSE(DecodeDocMeta(Cbor(nlohmann::json::array({1, 2}))).ok());
}

TEST_CASE("a posting reads back as written, its length as a one-byte norm") {
  using quire::index::Position;
  using quire::index::Posting;
  const std::vector<std::vector<Position>> cases = {
      {},                            // a filter term
      {{1, 7}},                      // one word on page 1: no page delta
      {{1, 300}, {1, 302}, {3, 5}},  // pages 1 and 3
      {{0, 2}, {1, 40}},             // a field's word, then page 1
      {{2, 0}, {2, 9}},              // a word first seen on page 2
  };
  for (const std::vector<Position>& positions : cases) {
    const Posting written{.doc_length = 90, .frequency = 0, .positions = positions};
    quire::Result<Posting> read = quire::index::DecodePosting(EncodePosting(written), true);
    REQUIRE(read.ok());
    CHECK(read->doc_length == 90);
    CHECK(read->frequency == positions.size());
    CHECK(read->positions == positions);
  }
  // Golden bytes: norm 90, frequency 1 on page 1, word 7.
  CHECK(EncodePosting({.doc_length = 90, .frequency = 1, .positions = {{1, 7}}}) ==
        std::string("\x5a\x03\x07", 3));
  CHECK(EncodePosting({.doc_length = 90, .frequency = 1, .positions = {{2, 7}}}) ==
        std::string("\x5a\x02\x02\x07", 4));
  // Cut short anywhere, it is damaged.
  const std::string whole = EncodePosting({.doc_length = 5, .positions = {{1, 300}, {2, 1}}});
  for (size_t size = 0; size < whole.size(); ++size) {
    CHECK_FALSE(quire::index::DecodePosting(whole.substr(0, size), true).ok());
  }
}

TEST_CASE("a length norm is exact below 128 and within an eighth above, in order") {
  using quire::index::LengthNorm;
  using quire::index::NormLength;
  for (uint32_t length = 0; length < quire::index::kExactNorms; ++length) {
    CHECK(NormLength(LengthNorm(length)) == length);
  }
  uint8_t previous = 0;
  for (uint32_t length = 1; length < 5'000'000; length += 1 + length / 64) {
    const uint8_t norm = LengthNorm(length);
    CHECK(norm >= previous);
    CHECK(NormLength(norm) <= length);
    CHECK(NormLength(norm) > length - length / 8 - 1);
    previous = norm;
  }
  CHECK(LengthNorm(UINT32_MAX) == 255);
}
