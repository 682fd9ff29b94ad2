#include "document_pdf.h"

#include <filesystem>

namespace quire::app {
namespace {

std::string FieldValue(const Extraction& extraction, const char* name) {
  auto it = extraction.fields.find(name);
  return it == extraction.fields.end() ? "" : it->second.value;
}

// "Invoice ACME GmbH RE-2024-0147 2024-03-14": what a person would write on the folder.
std::string TitleOf(const store::DocumentRecord& doc) {
  if (!doc.summary.title.empty()) return doc.summary.title;
  std::string title;
  for (const char* name :
       {field_name::kVendorName, field_name::kInvoiceNumber, field_name::kInvoiceDate}) {
    const std::string value = FieldValue(doc.extraction, name);
    if (!value.empty()) title += " " + value;
  }
  if (title.empty()) return std::filesystem::path(doc.summary.source).filename().string();
  std::string type = DocumentTypeName(doc.summary.type);
  type[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(type[0])));
  return type + title;
}

}  // namespace

Result<std::string> DocumentPdf(const store::DocumentRecord& doc, std::string_view original,
                                const capture::CaptureOptions& options, int64_t now) {
  capture::PdfDescription description;
  description.title = TitleOf(doc);
  description.author = FieldValue(doc.extraction, field_name::kVendorName);
  description.document_type = DocumentTypeName(doc.summary.type);
  description.document_id = std::to_string(doc.summary.id);
  description.created = doc.summary.ingested;
  description.modified = now;
  for (const auto& [name, field] : doc.extraction.fields) {
    if (!field.value.empty()) description.fields.emplace_back(name, field.value);
  }
  return capture::WriteSearchablePdf(original, doc.pages, description, options);
}

Result<std::string> FilePdf(const std::string& file, std::string_view bytes,
                            const std::vector<PageText>& pages,
                            const capture::CaptureOptions& options, int64_t now) {
  capture::PdfDescription description;
  description.title = std::filesystem::path(file).filename().string();
  description.created = now;
  description.modified = now;
  return capture::WriteSearchablePdf(bytes, pages, description, options);
}

}  // namespace quire::app
