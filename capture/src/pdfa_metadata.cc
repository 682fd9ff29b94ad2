#include "pdfa_metadata.h"

#include <lcms2.h>

#include <ctime>
#include <memory>

namespace quire::capture {
namespace {

// quire's own XMP schema: where a reader finds the document's fields.
constexpr char kQuireNamespace[] = "http://quire.invalid/ns/document/1.0/";

// Element text only: no attribute value holds what a user wrote.
std::string EscapeXml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default:
        // XML 1.0 allows no control characters but tab and line breaks.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

std::string FormatTime(int64_t unix_seconds, const char* format) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &tm);
  return buffer;
}

// A language alternative (dc:title) holds its value once, as the default language.
std::string Alt(const std::string& value) {
  return "<rdf:Alt><rdf:li xml:lang=\"x-default\">" + EscapeXml(value) + "</rdf:li></rdf:Alt>";
}

std::string ExtensionProperty(const char* name, const char* type, const char* description) {
  return std::string("<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>") + name +
         "</pdfaProperty:name><pdfaProperty:valueType>" + type +
         "</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>"
         "<pdfaProperty:description>" +
         description + "</pdfaProperty:description></rdf:li>\n";
}

// PDF/A-2 requires every property outside the standard schemas to be described in the packet.
std::string QuireSchemaDescription() {
  return std::string(
             "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
             "<pdfaSchema:schema>quire document</pdfaSchema:schema>\n"
             "<pdfaSchema:namespaceURI>") +
         kQuireNamespace +
         "</pdfaSchema:namespaceURI>\n"
         "<pdfaSchema:prefix>quire</pdfaSchema:prefix>\n<pdfaSchema:property><rdf:Seq>\n" +
         ExtensionProperty("documentId", "Text", "the document's id in the quire archive") +
         ExtensionProperty("documentType", "Text", "invoice, receipt, form, letter or other") +
         ExtensionProperty("fields", "Seq Text",
                           "the extracted fields, each as name: normalised value") +
         "</rdf:Seq></pdfaSchema:property>\n</rdf:li></rdf:Bag></pdfaExtension:schemas>\n";
}

}  // namespace

std::string XmpDate(int64_t unix_seconds) {
  return FormatTime(unix_seconds, "%Y-%m-%dT%H:%M:%S+00:00");
}

std::string PdfDate(int64_t unix_seconds) {
  return FormatTime(unix_seconds, "D:%Y%m%d%H%M%S+00'00'");
}

std::string PdfaXmp(const PdfDescription& d, bool identify_pdfa) {
  std::string x =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "<rdf:Description rdf:about=\"\"\n"
      " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
      " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
      " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
      " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"\n"
      " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      " xmlns:quire=\"" +
      std::string(kQuireNamespace) + "\">\n" +
      std::string(identify_pdfa
                      ? "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
                      : "") +
      QuireSchemaDescription() + "<dc:format>application/pdf</dc:format>\n<dc:title>" +
      Alt(d.title.empty() ? "Untitled" : d.title) + "</dc:title>\n";
  if (!d.author.empty()) {
    x += "<dc:creator><rdf:Seq><rdf:li>" + EscapeXml(d.author) +
         "</rdf:li></rdf:Seq></dc:creator>\n";
  }
  x += "<xmp:CreateDate>" + XmpDate(d.created) + "</xmp:CreateDate>\n<xmp:ModifyDate>" +
       XmpDate(d.modified) + "</xmp:ModifyDate>\n<xmp:MetadataDate>" + XmpDate(d.modified) +
       "</xmp:MetadataDate>\n<xmp:CreatorTool>quire</xmp:CreatorTool>\n"
       "<pdf:Producer>quire</pdf:Producer>\n";
  if (!d.document_id.empty()) {
    x += "<quire:documentId>" + EscapeXml(d.document_id) + "</quire:documentId>\n";
  }
  if (!d.document_type.empty()) {
    x += "<quire:documentType>" + EscapeXml(d.document_type) + "</quire:documentType>\n";
  }
  if (!d.fields.empty()) {
    x += "<quire:fields><rdf:Seq>\n";
    for (const auto& [name, value] : d.fields) {
      x += "<rdf:li>" + EscapeXml(name + ": " + value) + "</rdf:li>\n";
    }
    x += "</rdf:Seq></quire:fields>\n";
  }
  // Padding lets an editor rewrite the packet in place; the trailer marks it writable.
  x += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n" + std::string(20, ' ') +
       "\n<?xpacket end=\"w\"?>";
  return x;
}

Result<std::string> SrgbIccProfile() {
  std::unique_ptr<void, decltype(&cmsCloseProfile)> profile(cmsCreate_sRGBProfile(),
                                                            &cmsCloseProfile);
  if (profile == nullptr) return Status::Internal("Little CMS cannot make an sRGB profile");
  // Version 2 profiles are the ones every PDF/A reader takes.
  cmsSetProfileVersion(profile.get(), 2.1);
  cmsUInt32Number size = 0;
  if (!cmsSaveProfileToMem(profile.get(), nullptr, &size)) {
    return Status::Internal("Little CMS cannot write the sRGB profile");
  }
  std::string bytes(size, '\0');
  if (!cmsSaveProfileToMem(profile.get(), bytes.data(), &size)) {
    return Status::Internal("Little CMS cannot write the sRGB profile");
  }
  bytes.resize(size);
  return bytes;
}

}  // namespace quire::capture
