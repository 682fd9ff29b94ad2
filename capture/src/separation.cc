#include "quire/capture/separation.h"

#include <algorithm>
#include <charconv>

namespace quire::capture {

Result<Separation> ParseSeparation(std::string_view spec, const std::string& code) {
  Separation separation;
  if (!code.empty()) separation.code = code;
  constexpr std::string_view kEvery = "pages:";
  if (spec == "blank") {
    separation.kind = Separation::Kind::kBlank;
  } else if (spec == "barcode") {
    separation.kind = Separation::Kind::kBarcode;
  } else if (spec.starts_with(kEvery)) {
    const std::string_view number = spec.substr(kEvery.size());
    int every = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), every);
    if (error != std::errc() || end != number.data() + number.size() || every < 1) {
      return Status::InvalidArgument("--separate " + std::string(spec) +
                                     ": write pages:N with N a whole number of 1 or more, "
                                     "e.g. pages:2");
    }
    separation.kind = Separation::Kind::kEvery;
    separation.every = every;
  } else {
    return Status::InvalidArgument("--separate " + std::string(spec) +
                                   ": write blank (a blank sheet ends a document), barcode (a "
                                   "sheet with the separator barcode does) or pages:N");
  }
  return separation;
}

std::string SeparationSpec(const Separation& separation) {
  switch (separation.kind) {
    case Separation::Kind::kBlank: return "blank";
    case Separation::Kind::kBarcode: return "barcode";
    case Separation::Kind::kEvery: return "pages:" + std::to_string(separation.every);
    case Separation::Kind::kNone: break;
  }
  return "";
}

StackSplitter::StackSplitter(const Separation& separation) : separation_(separation) {}

bool StackSplitter::IsSeparator(const PageText& page) const {
  if (!page.error.empty()) return false;  // unread: keep it where it is
  switch (separation_.kind) {
    case Separation::Kind::kBlank: return page.blank;
    case Separation::Kind::kBarcode:
      return std::any_of(page.barcodes.begin(), page.barcodes.end(), [&](const std::string& code) {
        return code == separation_.code || code == kPatchT;
      });
    case Separation::Kind::kNone:
    case Separation::Kind::kEvery: return false;
  }
  return false;
}

std::optional<std::vector<int>> StackSplitter::AddSheet(const std::vector<int>& sides,
                                                        bool separator) {
  if (separator) {
    separator_pages_ += static_cast<int>(sides.size());
    std::optional<std::vector<int>> done;
    if (!document_.empty()) done = std::move(document_);
    document_.clear();
    return done;
  }
  std::optional<std::vector<int>> done;
  for (int side : sides) {
    document_.push_back(side);
    if (separation_.kind == Separation::Kind::kEvery &&
        static_cast<int>(document_.size()) == separation_.every) {
      done = std::move(document_);
      document_.clear();
    }
  }
  return done;
}

std::optional<std::vector<int>> StackSplitter::Add(const PageText& page) {
  const int index = next_index_++;
  const bool separator = IsSeparator(page);
  if (!separation_.duplex) return AddSheet({index}, separator);
  if (!front_) {
    front_ = index;
    front_is_separator_ = separator;
    return std::nullopt;
  }
  // A blank sheet is blank on both sides; a barcode sheet needs its code on one side only.
  const bool sheet_is_separator = separation_.kind == Separation::Kind::kBlank
                                      ? separator && front_is_separator_
                                      : separator || front_is_separator_;
  const std::vector<int> sides = {*front_, index};
  front_.reset();
  return AddSheet(sides, sheet_is_separator);
}

std::optional<std::vector<int>> StackSplitter::Finish() {
  if (front_) {  // an odd page out: a sheet of one side
    std::optional<std::vector<int>> done = AddSheet({*front_}, front_is_separator_);
    front_.reset();
    if (done) return done;
  }
  std::optional<std::vector<int>> done;
  if (!document_.empty()) done = std::move(document_);
  document_.clear();
  return done;
}

std::vector<std::vector<int>> SplitStack(const std::vector<PageText>& pages,
                                         const Separation& separation) {
  StackSplitter splitter(separation);
  std::vector<std::vector<int>> documents;
  for (const PageText& page : pages) {
    if (std::optional<std::vector<int>> done = splitter.Add(page)) documents.push_back(*done);
  }
  if (std::optional<std::vector<int>> done = splitter.Finish()) documents.push_back(*done);
  return documents;
}

}  // namespace quire::capture
