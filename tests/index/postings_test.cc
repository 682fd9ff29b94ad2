#include "postings.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using quire::index::DecodeDocMeta;
using quire::index::DocMeta;
using quire::index::EncodeDocMeta;

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
  quire::Result<DocMeta> old = DecodeDocMeta(Cbor(
      {{"len", 12}, {"type", "receipt"}, {"title", "x.png"}, {"ranges", nlohmann::json::object()}}));
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
  CHECK_FALSE(DecodeDocMeta(Cbor({{"len", "1"}, {"type", "t"}, {"title", "t"},
                                  {"ranges", nlohmann::json::object()}}))
                  .ok());
  CHECK_FALSE(DecodeDocMeta(Cbor(nlohmann::json::array({1, 2}))).ok());
}
