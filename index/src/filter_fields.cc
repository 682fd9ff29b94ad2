#include "filter_fields.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

#include "quire/common/fields.h"

namespace quire::index {
namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool IsNumberIn(std::string_view s, int low, int high) {
  if (!IsDigits(s)) return false;
  const int n = std::stoi(std::string(s));
  return n >= low && n <= high;
}

// YYYY, YYYY-MM or YYYY-MM-DD.
bool IsDatePrefix(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!IsDigits(s.substr(0, 4))) return false;
  if (s.size() >= 7 && (s[4] != '-' || !IsNumberIn(s.substr(5, 2), 1, 12))) return false;
  if (s.size() < 10) return true;
  if (s[7] != '-' || !IsDigits(s.substr(8, 2))) return false;
  const auto number = [&](size_t at, size_t size) {
    return std::stoi(std::string(s.substr(at, size)));
  };
  // A day the month has: 2024-02-29, not 2023-02-29 or 2024-02-30.
  const std::chrono::year_month_day date{std::chrono::year(number(0, 4)),
                                         std::chrono::month(number(5, 2)),
                                         std::chrono::day(number(8, 2))};
  return date.ok();
}

std::optional<int64_t> ParseCents(std::string_view s) {
  if (s.empty() || (s.find_first_not_of("-.0123456789") != std::string_view::npos)) {
    return std::nullopt;
  }
  double v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return std::llround(v * 100);
}

// Flips the sign bit and writes big-endian, so negative amounts sort before positive ones.
std::string EncodeCents(int64_t cents) {
  uint64_t v = static_cast<uint64_t>(cents) ^ (uint64_t{1} << 63);
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

const std::vector<FilterField>& FilterFields() {
  static const std::vector<FilterField> kFields = {
      {"type", "", FilterKind::kType},
      {"vendor", field_name::kVendorName, FilterKind::kWords},
      {"customer", field_name::kCustomerName, FilterKind::kWords},
      {"number", field_name::kInvoiceNumber, FilterKind::kWords},
      {"po", field_name::kPoNumber, FilterKind::kWords},
      {"currency", field_name::kCurrency, FilterKind::kWords},
      {"iban", field_name::kIban, FilterKind::kWords},
      {"vat", field_name::kVatId, FilterKind::kWords},
      {"date", field_name::kInvoiceDate, FilterKind::kDate},
      {"due", field_name::kDueDate, FilterKind::kDate},
      {"total", field_name::kTotal, FilterKind::kAmount},
      {"tag", "", FilterKind::kTag},
      {"review", "", FilterKind::kReview},
      {"barcode", "", FilterKind::kBarcode},
      // The archive serial number (app/serial_number.h), compared as a number: asn:42 finds
      // ASN00042, asn:100..199 a box of them.
      {"asn", "asn", FilterKind::kAmount},
  };
  return kFields;
}

const FilterField* FindFilter(std::string_view name) {
  for (const FilterField& f : FilterFields()) {
    if (f.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), f.name.begin(),
                   [](char a, char b) { return AsciiLower(a) == b; })) {
      return &f;
    }
  }
  return nullptr;
}

std::string FilterTerm(std::string_view filter, std::string_view folded_word) {
  std::string term = "X";
  term.append(filter);
  term.push_back(':');
  term.append(folded_word);
  return term;
}

std::optional<ValueRange> ValueInterval(FilterKind kind, std::string_view text) {
  if (kind == FilterKind::kDate) {
    if (!IsDatePrefix(text)) return std::nullopt;
    // Every full date starting with `text` sorts at or after it and before `text` + 0xff.
    return ValueRange{std::string(text), std::string(text) + '\xff'};
  }
  const std::optional<int64_t> cents = ParseCents(text);
  if (!cents) return std::nullopt;
  return ValueRange{EncodeCents(*cents), EncodeCents(*cents + 1)};
}

std::optional<std::string> EncodeFilterValue(FilterKind kind, std::string_view value) {
  if (kind == FilterKind::kDate) {
    if (value.size() != 10 || !IsDatePrefix(value)) return std::nullopt;
    return std::string(value);
  }
  const std::optional<int64_t> cents = ParseCents(value);
  if (!cents) return std::nullopt;
  return EncodeCents(*cents);
}

}  // namespace quire::index
