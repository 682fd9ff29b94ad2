// Line items: the table under a header row naming at least two of description, quantity, unit
// price and amount. Rows are rebuilt from word boxes (OCR often reads a table column by
// column), each number goes to the column whose heading it sits under, and the table ends at
// the first subtotal or total row.
#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "fields.h"

namespace quire::extract {
namespace {

enum class Column { kPosition, kDescription, kQuantity, kUnitPrice, kAmount };

struct Heading {
  std::string_view phrase;
  Column column;
};

constexpr Heading kHeadings[] = {
    {"pos", Column::kPosition},
    {"position", Column::kPosition},
    {"lfd nr", Column::kPosition},
    {"description", Column::kDescription},
    {"item", Column::kDescription},
    {"article", Column::kDescription},
    {"product", Column::kDescription},
    {"service", Column::kDescription},
    {"particulars", Column::kDescription},
    {"beschreibung", Column::kDescription},
    {"bezeichnung", Column::kDescription},
    {"artikel", Column::kDescription},
    {"leistung", Column::kDescription},
    {"designation", Column::kDescription},
    {"libelle", Column::kDescription},
    {"qty", Column::kQuantity},
    {"quantity", Column::kQuantity},
    {"menge", Column::kQuantity},
    {"anzahl", Column::kQuantity},
    {"qte", Column::kQuantity},
    {"quantite", Column::kQuantity},
    {"unit price", Column::kUnitPrice},
    {"price", Column::kUnitPrice},
    {"rate", Column::kUnitPrice},
    {"unit cost", Column::kUnitPrice},
    {"einzelpreis", Column::kUnitPrice},
    {"preis", Column::kUnitPrice},
    {"prix unitaire", Column::kUnitPrice},
    {"prix", Column::kUnitPrice},
    {"pu", Column::kUnitPrice},
    {"amount", Column::kAmount},
    {"total", Column::kAmount},
    {"line total", Column::kAmount},
    {"betrag", Column::kAmount},
    {"gesamt", Column::kAmount},
    {"gesamtpreis", Column::kAmount},
    {"montant", Column::kAmount},
    {"montant ht", Column::kAmount},
    {"total ht", Column::kAmount},
};

// Rows that end the table.
constexpr std::string_view kTableEnd[] = {
    "subtotal",    "sub total",    "total",    "zwischensumme", "summe",
    "nettobetrag", "gesamtbetrag", "total ht", "sous total",    "mwst",
    "ust",         "tva",          "vat",      "tax",           "gst"};

struct ColumnAt {
  Column column;
  int center;  // x of the heading's centre
};

// The columns a line announces, if it is a table header: two or more distinct columns, one of
// them a number column.
std::vector<ColumnAt> HeaderColumns(const Line& line) {
  std::vector<ColumnAt> columns;
  for (size_t t = 0; t < line.tokens.size(); ++t) {
    const Heading* best = nullptr;
    size_t best_length = 0;
    for (const Heading& h : kHeadings) {
      const std::vector<std::string> phrase = FoldedTokens(h.phrase);
      if (t + phrase.size() > line.tokens.size() || phrase.size() <= best_length) continue;
      bool match = true;
      for (size_t k = 0; k < phrase.size() && match; ++k) {
        match = line.tokens[t + k].folded == phrase[k];
      }
      if (match) {
        best = &h;
        best_length = phrase.size();
      }
    }
    if (best == nullptr) continue;
    const bool seen = std::any_of(columns.begin(), columns.end(),
                                  [&](const ColumnAt& c) { return c.column == best->column; });
    if (!seen) {
      const Box b = line.BoxOf(line.tokens[t].begin, line.tokens[t + best_length - 1].end);
      columns.push_back({best->column, b.x + b.w / 2});
    }
    t += best_length - 1;
  }
  const bool has_number_column = std::any_of(columns.begin(), columns.end(), [](const ColumnAt& c) {
    return c.column == Column::kAmount || c.column == Column::kUnitPrice;
  });
  if (columns.size() < 2 || !has_number_column) return {};
  return columns;
}

bool EndsTable(const Line& line) {
  return std::any_of(std::begin(kTableEnd), std::end(kTableEnd), [&](std::string_view p) {
    return ContainsPhrase(line.tokens, FoldedTokens(p));
  });
}

// The rows of the table under `header`: up to the first that names a subtotal or total.
std::vector<Line> TableRows(const std::vector<Line>& rows, size_t header) {
  std::vector<Line> out;
  for (size_t r = header + 1; r < rows.size() && !EndsTable(rows[r]); ++r) {
    out.push_back(rows[r]);
  }
  return out;
}

std::string FormatQuantity(int64_t hundredths) {
  if (hundredths % 100 == 0) return std::to_string(hundredths / 100);
  std::string s = FormatAmount(hundredths);
  if (s.back() == '0') s.pop_back();
  return s;
}

// The column whose heading is nearest above `box`.
Column ColumnUnder(const std::vector<ColumnAt>& columns, const Box& box) {
  const int center = box.x + box.w / 2;
  const auto nearest =
      std::min_element(columns.begin(), columns.end(), [&](const ColumnAt& a, const ColumnAt& b) {
        return std::abs(a.center - center) < std::abs(b.center - center);
      });
  return nearest->column;
}

// One table row as an item: its numbers by column, and the words under the description
// heading (all other words when there is none) as the description. Returns an item without
// "amount" for a row that has none.
nlohmann::json ReadRow(const std::vector<ColumnAt>& columns, const Line& row,
                       const Conventions& conventions) {
  nlohmann::json item = nlohmann::json::object();
  std::vector<bool> used(row.words.size(), false);
  for (const AmountMatch& a : FindAmounts(row.text, conventions.decimal)) {
    const Column column = ColumnUnder(columns, row.BoxOf(a.begin, a.end));
    if (column == Column::kDescription) continue;  // a number in the description ("Model 2000")
    for (size_t w = row.WordAt(a.begin); w <= row.WordAt(a.end - 1); ++w) used[w] = true;
    if (column == Column::kQuantity) item["quantity"] = FormatQuantity(a.cents);
    if (column == Column::kUnitPrice) item["unit_price"] = FormatAmount(a.cents);
    if (column == Column::kAmount) item["amount"] = FormatAmount(a.cents);
  }
  const bool has_description = std::any_of(columns.begin(), columns.end(), [](const ColumnAt& c) {
    return c.column == Column::kDescription;
  });
  std::string description;
  for (size_t w = 0; w < row.words.size(); ++w) {
    const Column column = ColumnUnder(columns, row.words[w].box);
    if (used[w] || column == Column::kPosition ||
        (has_description && column != Column::kDescription)) {
      continue;
    }
    if (!description.empty()) description += ' ';
    description += row.words[w].text;
  }
  item["description"] = description;
  return item;
}

// Reads the items of a table into fields["line_items"]; false when it has none.
bool ReadTable(const std::vector<ColumnAt>& columns, const std::vector<Line>& rows,
               const Conventions& conventions, Fields& fields) {
  nlohmann::json items = nlohmann::json::array();
  std::vector<Evidence> parts;
  for (const Line& row : rows) {
    nlohmann::json item = ReadRow(columns, row, conventions);
    const std::string description = item["description"].get<std::string>();
    if (item.contains("amount")) {
      items.push_back(std::move(item));
    } else if (item.size() == 1 && !items.empty() && !description.empty()) {
      // A row of text alone continues the description of the item above.
      items.back()["description"] =
          items.back()["description"].get<std::string>() + " " + description;
    } else {
      continue;
    }
    parts.push_back(EvidenceOf(row, 0, row.text.size()));
  }
  if (items.empty()) return false;
  fields["line_items"] = ToFieldValue(Candidate{items.dump(), JoinEvidence(parts, "\n"), 0.8});
  return true;
}

}  // namespace

void ExtractLineItems(const Document& doc, const Conventions& conventions, Fields& fields) {
  for (int page = 0; page < doc.page_count(); ++page) {
    const std::vector<Line> rows = doc.Rows(page);
    for (size_t header = 0; header < rows.size(); ++header) {
      const std::vector<ColumnAt> columns = HeaderColumns(rows[header]);
      if (columns.empty()) continue;
      if (ReadTable(columns, TableRows(rows, header), conventions, fields)) return;
    }
  }
}

}  // namespace quire::extract
