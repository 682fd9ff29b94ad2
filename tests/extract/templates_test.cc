#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "page_builder.h"
#include "quire/extract/extract.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;

// A fresh template folder under the system temp dir, removed afterwards.
class TemplateDir {
 public:
  TemplateDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("quire-extract-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TemplateDir() { std::filesystem::remove_all(path_); }
  void Write(const std::string& name, const std::string& json) {
    std::ofstream(path_ / name) << json;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

const char* kGlobexTemplate = R"json({
  "name": "Globex",
  "keywords": ["Globex Corporation", "globex.example"],
  "min_keywords": 1,
  "type": "invoice",
  "date_order": "MDY",
  "decimal": "dot",
  "required": ["po_number"],
  "fields": {
    "invoice_number": {"pattern": "Ref\\.?\\s*([A-Z]{2}\\d+)"},
    "customer_number": {"pattern": "Acct\\s+(\\d+)"},
    "total": {"region": {"page": 0, "x": 0.6, "y": 0.4, "w": 0.4, "h": 0.1}}
  }
})json";

PageText GlobexInvoice() {
  return PageBuilder()
      .Line("Globex Corporation")
      .Line("Statement of charges")
      .Line("Ref. GX88123    Acct 55501")
      .Line("Issued 03/04/2024")
      .Skip(10)
      .Row({{"Please pay", 50}, {"1,234.50", 600}})
      .Build();
}

TEST_CASE("a vendor template reads what the built-ins miss, with its own conventions") {
  TemplateDir dir;
  dir.Write("globex.json", kGlobexTemplate);
  ExtractOptions options;
  options.template_dir = dir.path();
  options.today = "2024-06-01";
  auto extractor = Extractor::Create(options);
  REQUIRE(extractor.ok());
  const Extraction ex = (*extractor)->Extract({GlobexInvoice()});
  CHECK(ex.type == DocumentType::kInvoice);
  CHECK(ex.fields.at("invoice_number").value == "GX88123");
  CHECK(ex.fields.at("invoice_number").source_text == "GX88123");
  CHECK(ex.fields.at("customer_number").value == "55501");
  CHECK(ex.fields.at("total").value == "1234.50");
  CHECK(ex.fields.at("invoice_date").value == "2024-03-04");  // MDY from the template
  CHECK(ex.needs_review);                                     // the template requires po_number
  CHECK(std::find(ex.review_reasons.begin(), ex.review_reasons.end(), "po_number is missing") !=
        ex.review_reasons.end());
}

TEST_CASE("a template whose keywords are absent is not used") {
  TemplateDir dir;
  dir.Write("globex.json", kGlobexTemplate);
  ExtractOptions options;
  options.template_dir = dir.path();
  auto extractor = Extractor::Create(options);
  REQUIRE(extractor.ok());
  const Extraction ex =
      (*extractor)->Extract({PageBuilder().Line("Initech").Line("Ref. GX88123").Build()});
  CHECK_FALSE(ex.fields.count("customer_number"));
}

TEST_CASE("a bad template fails Create with a message naming the file") {
  TemplateDir dir;
  std::string json;
  std::string expected;
  SECTION("not JSON") {
    json = "{ nope";
    expected = "is not valid JSON";
  }
  SECTION("a broken regex") {
    json = R"json({"keywords": ["x"], "fields": {"total": {"pattern": "(\\d+"}}})json";
    expected = "fields.total.pattern is not a valid regular expression";
  }
  SECTION("a pattern without a capture group") {
    json = R"json({"keywords": ["x"], "fields": {"total": {"pattern": "\\d+"}}})json";
    expected = "fields.total.pattern needs a capture group";
  }
  SECTION("a misspelt key") {
    json = R"json({"keywords": ["x"], "feilds": {}})json";
    expected = "unknown key \"feilds\"";
  }
  SECTION("a region outside the page") {
    json =
        R"json({"keywords": ["x"], "fields": {"total": {"region": {"x": 0, "y": 0, "w": 2, "h": 1}}}})json";
    expected = "fields.total.region.w must lie in 0..1";
  }
  SECTION("no keywords") {
    json = R"json({"fields": {}})json";
    expected = "needs \"keywords\"";
  }
  dir.Write("acme.json", json);
  ExtractOptions options;
  options.template_dir = dir.path();
  auto extractor = Extractor::Create(options);
  REQUIRE_FALSE(extractor.ok());
  const std::string message = extractor.status().message();
  CHECK(message.find(dir.path() + "/acme.json") != std::string::npos);
  CHECK(message.find(expected) != std::string::npos);
}

TEST_CASE("a missing template folder fails Create") {
  ExtractOptions options;
  options.template_dir = "/nonexistent/quire-templates";
  auto extractor = Extractor::Create(options);
  REQUIRE_FALSE(extractor.ok());
  CHECK(extractor.status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace quire::extract
