#include "classify.h"

#include <algorithm>
#include <array>
#include <map>
#include <span>

namespace quire::extract {
namespace {

struct KeywordCue {
  DocumentType type;
  std::string_view phrase;  // matched on folded tokens, anywhere in a line
  double weight;            // counted once per document
};

constexpr KeywordCue kKeywordCues[] = {
    // Invoices: English, German, French.
    {DocumentType::kInvoice, "invoice", 3},
    {DocumentType::kInvoice, "invoice number", 2},
    {DocumentType::kInvoice, "invoice date", 2},
    {DocumentType::kInvoice, "bill to", 2},
    {DocumentType::kInvoice, "due date", 2},
    {DocumentType::kInvoice, "payment terms", 1.5},
    {DocumentType::kInvoice, "amount due", 1.5},
    {DocumentType::kInvoice, "subtotal", 1},
    {DocumentType::kInvoice, "iban", 1.5},
    {DocumentType::kInvoice, "bic", 1},
    {DocumentType::kInvoice, "vat", 1},
    {DocumentType::kInvoice, "purchase order", 1},
    {DocumentType::kInvoice, "rechnung", 3},
    {DocumentType::kInvoice, "rechnungsnummer", 2},
    {DocumentType::kInvoice, "rechnungsdatum", 2},
    {DocumentType::kInvoice, "zahlbar bis", 1.5},
    {DocumentType::kInvoice, "nettobetrag", 1},
    {DocumentType::kInvoice, "ust idnr", 1},
    {DocumentType::kInvoice, "bankverbindung", 1},
    {DocumentType::kInvoice, "facture", 3},
    {DocumentType::kInvoice, "echeance", 1.5},
    {DocumentType::kInvoice, "total ht", 1.5},
    {DocumentType::kInvoice, "net a payer", 1},
    // Receipts: till vocabulary.
    {DocumentType::kReceipt, "receipt", 3},
    {DocumentType::kReceipt, "cash", 1.5},
    {DocumentType::kReceipt, "change", 1.5},
    {DocumentType::kReceipt, "cashier", 2},
    {DocumentType::kReceipt, "rounding", 1.5},
    {DocumentType::kReceipt, "rounded total", 2},
    {DocumentType::kReceipt, "thank you", 1.5},
    {DocumentType::kReceipt, "come again", 2},
    {DocumentType::kReceipt, "tax invoice", 1},
    {DocumentType::kReceipt, "cash bill", 2},
    {DocumentType::kReceipt, "gst", 1},
    {DocumentType::kReceipt, "tender", 1},
    {DocumentType::kReceipt, "kassenbon", 3},
    {DocumentType::kReceipt, "quittung", 2},
    {DocumentType::kReceipt, "ticket de caisse", 3},
    {DocumentType::kReceipt, "ticket", 2},
    {DocumentType::kReceipt, "merci de votre visite", 2},
    {DocumentType::kReceipt, "sans contact", 1},
    {DocumentType::kReceipt, "kasse", 2},
    {DocumentType::kReceipt, "bon", 1.5},
    {DocumentType::kReceipt, "ihren einkauf", 2},
    {DocumentType::kReceipt, "girocard", 1.5},
    // Forms.
    {DocumentType::kForm, "form", 2},
    {DocumentType::kForm, "application", 1.5},
    {DocumentType::kForm, "signature", 1.5},
    {DocumentType::kForm, "please print", 1.5},
    {DocumentType::kForm, "date of birth", 1.5},
    {DocumentType::kForm, "check one", 2},
    {DocumentType::kForm, "antrag", 2},
    {DocumentType::kForm, "formular", 2},
    {DocumentType::kForm, "unterschrift", 1.5},
    {DocumentType::kForm, "formulaire", 2},
    // Forms of an office: memos, fax covers, approval sheets, requests and reports.
    {DocumentType::kForm, "subject", 1},
    {DocumentType::kForm, "memorandum", 1.5},
    {DocumentType::kForm, "fax", 1},
    {DocumentType::kForm, "comments", 1},
    {DocumentType::kForm, "remarks", 1},
    {DocumentType::kForm, "requested by", 1.5},
    {DocumentType::kForm, "prepared by", 1.5},
    {DocumentType::kForm, "approved by", 1.5},
    {DocumentType::kForm, "approval", 1},
    // Letters.
    {DocumentType::kLetter, "dear", 3},
    {DocumentType::kLetter, "sincerely", 3},
    {DocumentType::kLetter, "kind regards", 2},
    {DocumentType::kLetter, "yours faithfully", 3},
    {DocumentType::kLetter, "sehr geehrte", 3},
    {DocumentType::kLetter, "sehr geehrter", 3},
    {DocumentType::kLetter, "mit freundlichen grussen", 3},
    {DocumentType::kLetter, "madame monsieur", 2},
    {DocumentType::kLetter, "cordialement", 3},
    {DocumentType::kLetter, "veuillez agreer", 3},
};

// What the layout cues look at, measured once per document.
struct LayoutStats {
  double aspect = 0;       // width / height of the first page
  double label_lines = 0;  // share of lines with a "Label:" cell
  int labels = 0;          // lines with a "Label:" cell
  int checkboxes = 0;
  double words_per_line = 0;
  int amount_lines = 0;  // lines ending in an amount with decimals
};

struct LayoutCue {
  DocumentType type;
  double weight;
  bool (*applies)(const LayoutStats&);
};

constexpr LayoutCue kLayoutCues[] = {
    // Till rolls are narrow: A4 is 0.71 wide for its height, receipts are under 0.6.
    {DocumentType::kReceipt, 3,
     [](const LayoutStats& s) { return s.aspect > 0 && s.aspect < 0.6; }},
    {DocumentType::kForm, 2, [](const LayoutStats& s) { return s.label_lines > 0.25; }},
    // A noisy scan reads many lines of debris, which thins the share, not the count.
    {DocumentType::kForm, 1.5, [](const LayoutStats& s) { return s.labels >= 4; }},
    {DocumentType::kForm, 2, [](const LayoutStats& s) { return s.checkboxes >= 2; }},
    {DocumentType::kLetter, 2, [](const LayoutStats& s) { return s.words_per_line > 8; }},
    {DocumentType::kInvoice, 1, [](const LayoutStats& s) { return s.amount_lines >= 3; }},
    {DocumentType::kReceipt, 1, [](const LayoutStats& s) { return s.amount_lines >= 3; }},
    // A letter about an invoice names it, but bills list amounts.
    {DocumentType::kInvoice, -3, [](const LayoutStats& s) { return s.amount_lines < 2; }},
};

// Below this a document is "other".
constexpr double kMinScore = 2.5;

constexpr std::string_view kTypedBoxes[] = {"[ ]", "[x]"};

// How many kinds of checkbox a line shows: glyphs, or boxes typed as brackets.
int CheckboxKinds(std::string_view line) {
  int kinds = 0;
  using Boxes = std::span<const std::string_view>;
  for (Boxes glyphs : {Boxes(kEmptyBoxGlyphs), Boxes(kTickedBoxGlyphs), Boxes(kTypedBoxes)}) {
    for (std::string_view box : glyphs) kinds += line.find(box) != line.npos;
  }
  return kinds;
}

LayoutStats MeasureLayout(const Document& doc) {
  LayoutStats s;
  if (doc.page_count() > 0 && doc.page(0).height > 0) {
    s.aspect = static_cast<double>(doc.page(0).width) / doc.page(0).height;
  }
  int words = 0;
  int label_lines = 0;
  for (const Line& line : doc.lines()) {
    words += static_cast<int>(line.words.size());
    for (size_t w = 0; w < line.words.size(); ++w) {
      const std::string& t = line.words[w].text;
      if (t.size() > 1 && t.back() == ':') {
        ++label_lines;
        break;
      }
    }
    s.checkboxes += CheckboxKinds(line.text);
    const size_t last_digit = line.text.find_last_of("0123456789");
    if (last_digit != std::string::npos && last_digit >= 3 &&
        (line.text[last_digit - 2] == '.' || line.text[last_digit - 2] == ',')) {
      ++s.amount_lines;
    }
  }
  s.labels = label_lines;
  if (!doc.lines().empty()) {
    s.label_lines = static_cast<double>(label_lines) / doc.lines().size();
    s.words_per_line = static_cast<double>(words) / doc.lines().size();
  }
  return s;
}

}  // namespace

Classification Classify(const Document& doc) {
  std::map<DocumentType, double> scores;
  for (const KeywordCue& cue : kKeywordCues) {
    const std::vector<std::string> phrase = FoldedTokens(cue.phrase);
    const bool present = std::any_of(doc.lines().begin(), doc.lines().end(), [&](const Line& l) {
      return ContainsPhrase(l.tokens, phrase);
    });
    if (present) scores[cue.type] += cue.weight;
  }
  const LayoutStats stats = MeasureLayout(doc);
  for (const LayoutCue& cue : kLayoutCues) {
    if (cue.applies(stats)) scores[cue.type] += cue.weight;
  }
  Classification result;
  double total = 0;
  double best = 0;
  for (const auto& [type, score] : scores) {
    total += std::max(score, 0.0);  // a type ruled out (negative) takes no share
    if (score > best) {
      best = score;
      result.type = type;
    }
  }
  // Unclassified documents are "other", the more surely the fewer cues they show.
  if (best < kMinScore) return Classification{DocumentType::kOther, 1 - best / kMinScore};
  result.score = best / total;
  return result;
}

}  // namespace quire::extract
