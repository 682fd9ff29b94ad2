// Line items: the table under a header row naming at least two of description, quantity, unit
// price and amount. Rows are rebuilt from word boxes (OCR often reads a table column by
// column), each number goes to the column whose heading it sits under, each other word to the
// column whose heading starts at or left of it (descriptions are left-aligned and run wide),
// and the table ends at the first subtotal or total row. A table that reaches a page footer or
// the end of the page without one goes on under the next page's header row.
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <nlohmann/json.hpp>
#include <span>

#include "builtin_fields.h"

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
    {"p u", Column::kUnitPrice},  // "P.U. HT"
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
    "subtotal",     "sub total", "total",      "zwischensumme", "summe",     "nettobetrag",
    "gesamtbetrag", "total ht",  "sous total", "mwst",          "ust",       "tva",
    "vat",          "tax",       "gst",        "net",           "montant ht"};

// Rows that end a page's part of a table that goes on over the page, besides "Page 2 of 3".
constexpr std::string_view kTableContinues[] = {"continued", "carried forward", "ubertrag",
                                                "a reporter"};
constexpr std::string_view kPageWords[] = {"page", "seite"};

struct ColumnAt {
  Column column;
  int left;    // x of the heading's left edge
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
      columns.push_back({best->column, b.x, b.x + b.w / 2});
    }
    t += best_length - 1;
  }
  const bool has_number_column = std::any_of(columns.begin(), columns.end(), [](const ColumnAt& c) {
    return c.column == Column::kAmount || c.column == Column::kUnitPrice;
  });
  if (columns.size() < 2 || !has_number_column) return {};
  return columns;
}

bool ContainsAny(const Line& line, std::span<const std::string_view> phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view p) {
    return ContainsPhrase(line.tokens, FoldedTokens(p));
  });
}

// "Page 2", "Seite 1 von 3": a page footer or header.
bool NumbersPage(const Line& line) {
  for (size_t t = 0; t + 1 < line.tokens.size(); ++t) {
    const std::string& next = line.tokens[t + 1].folded;
    if (std::find(std::begin(kPageWords), std::end(kPageWords), line.tokens[t].folded) !=
            std::end(kPageWords) &&
        std::all_of(next.begin(), next.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return true;
    }
  }
  return false;
}

// The rows under a page's table header, and whether a total row ended the table there.
struct TablePart {
  std::vector<Line> rows;
  bool ends = false;
};

TablePart RowsUnder(const std::vector<Line>& rows, size_t header) {
  TablePart part;
  for (size_t r = header + 1; r < rows.size(); ++r) {
    if (ContainsAny(rows[r], kTableEnd)) {
      part.ends = true;
      break;
    }
    if (ContainsAny(rows[r], kTableContinues) || NumbersPage(rows[r])) break;
    part.rows.push_back(rows[r]);
  }
  return part;
}

// The column whose heading is nearest above `box`: a number's, as numbers align under their
// heading's centre or right edge.
Column ColumnUnder(const std::vector<ColumnAt>& columns, const Box& box) {
  const int center = box.x + box.w / 2;
  const auto nearest =
      std::min_element(columns.begin(), columns.end(), [&](const ColumnAt& a, const ColumnAt& b) {
        return std::abs(a.center - center) < std::abs(b.center - center);
      });
  return nearest->column;
}

// The column a word of text belongs to: the one whose heading starts at or left of it (a word
// height of slack), else the leftmost.
Column ColumnOfText(const std::vector<ColumnAt>& columns, const Box& box) {
  const ColumnAt* best =
      &*std::min_element(columns.begin(), columns.end(),
                         [](const ColumnAt& a, const ColumnAt& b) { return a.left < b.left; });
  for (const ColumnAt& c : columns) {
    if (c.left <= box.x + box.h && c.left > best->left) best = &c;
  }
  return best->column;
}

// A number grouped with spaces whose first group sits under another heading than the rest is
// two numbers: "4 189,00" under Qty and Unit price is 4 and 189,00.
std::vector<AmountMatch> SplitAtColumns(const std::vector<ColumnAt>& columns, const Line& row,
                                        const AmountMatch& a, DecimalMark mark) {
  const size_t first = row.WordAt(a.begin);
  if (first == row.WordAt(a.end - 1)) return {a};
  const size_t first_end = row.word_begin[first] + row.words[first].text.size();
  const size_t rest = row.word_begin[first + 1];
  if (ColumnUnder(columns, row.words[first].box) == ColumnUnder(columns, row.BoxOf(rest, a.end))) {
    return {a};
  }
  const auto head = ParseAmount(row.text.substr(a.begin, first_end - a.begin), mark);
  const auto tail = ParseAmount(row.text.substr(rest, a.end - rest), mark);
  if (!head || !tail) return {a};
  return {{a.begin, first_end, *head, 0}, {rest, a.end, *tail, a.decimal}};
}

// One table row as an item: its numbers by column, and the words under the description
// heading (all other words when there is none) as the description. Returns an item without
// "amount" for a row that has none.
nlohmann::json ReadRow(const std::vector<ColumnAt>& columns, const Line& row,
                       const Conventions& conventions) {
  nlohmann::json item = nlohmann::json::object();
  std::vector<bool> used(row.words.size(), false);
  std::vector<Column> filled;
  std::vector<AmountMatch> amounts;
  for (const AmountMatch& a : FindAmounts(row.text, conventions.decimal)) {
    std::ranges::copy(SplitAtColumns(columns, row, a, conventions.decimal),
                      std::back_inserter(amounts));
  }
  // Right to left, as a number column holds one value per row: a number under the description
  // heading, or left of its column's value, belongs to the description ("600 x 1000 mm").
  for (auto a = amounts.rbegin(); a != amounts.rend(); ++a) {
    const Column column = ColumnUnder(columns, row.BoxOf(a->begin, a->end));
    if (column == Column::kDescription || std::ranges::count(filled, column) > 0) continue;
    filled.push_back(column);
    for (size_t w = row.WordAt(a->begin); w <= row.WordAt(a->end - 1); ++w) used[w] = true;
    if (column == Column::kQuantity) item["quantity"] = FormatQuantity(a->cents);
    if (column == Column::kUnitPrice) item["unit_price"] = FormatAmount(a->cents);
    if (column == Column::kAmount) item["amount"] = FormatAmount(a->cents);
  }
  const bool has_description = std::any_of(columns.begin(), columns.end(), [](const ColumnAt& c) {
    return c.column == Column::kDescription;
  });
  std::string description;
  for (size_t w = 0; w < row.words.size(); ++w) {
    const Column column = ColumnOfText(columns, row.words[w].box);
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

// The items of a table, gathered over its parts on successive pages.
struct Table {
  nlohmann::json items = nlohmann::json::array();
  std::vector<Evidence> evidence;

  // Adds the items of `rows`; false when they hold none.
  bool Read(const std::vector<ColumnAt>& columns, const std::vector<Line>& rows,
            const Conventions& conventions) {
    const size_t before = items.size();
    for (const Line& row : rows) {
      nlohmann::json item = ReadRow(columns, row, conventions);
      const std::string description = item["description"].get<std::string>();
      if (item.contains("amount") && item.size() == 2 && description.empty()) {
        continue;  // an amount alone: a sum under a label that is no heading
      }
      if (item.contains("amount")) {
        items.push_back(std::move(item));
      } else if (item.size() == 1 && items.size() > before && !description.empty()) {
        // A row of text alone continues the description of the item above.
        items.back()["description"] =
            items.back()["description"].get<std::string>() + " " + description;
      } else {
        continue;
      }
      evidence.push_back(EvidenceOf(row, 0, row.text.size()));
    }
    return items.size() > before;
  }
};

// How a page's first table stands: none on the page, ended by a total row, or going on.
enum class PageTable { kNone, kEnds, kGoesOn };

PageTable ReadPageTable(const std::vector<Line>& rows, const Conventions& conventions,
                        Table& table) {
  for (size_t header = 0; header < rows.size(); ++header) {
    const std::vector<ColumnAt> columns = HeaderColumns(rows[header]);
    if (columns.empty()) continue;
    const TablePart part = RowsUnder(rows, header);
    if (table.Read(columns, part.rows, conventions)) {
      return part.ends ? PageTable::kEnds : PageTable::kGoesOn;
    }
  }
  return PageTable::kNone;
}

}  // namespace

void ExtractLineItems(const Document& doc, const Conventions& conventions, Fields& fields) {
  Table table;
  for (int page = 0; page < doc.page_count(); ++page) {
    const PageTable found = ReadPageTable(doc.Rows(page), conventions, table);
    if (found == PageTable::kEnds || (found == PageTable::kNone && !table.items.empty())) break;
  }
  if (table.items.empty()) return;
  fields[field_name::kLineItems] =
      ToFieldValue(Candidate{table.items.dump(), JoinEvidence(table.evidence, "\n"), 0.8});
}

}  // namespace quire::extract
