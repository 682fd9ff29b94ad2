// What makes a PDF a PDF/A-2b file beside its pages: the XMP metadata packet and the sRGB
// colour profile of its output intent.
#pragma once

#include <cstdint>
#include <string>

#include "quire/capture/searchable_pdf.h"
#include "quire/common/status.h"

namespace quire::capture {

// The XMP packet (UTF-8 XML) for the catalog's /Metadata stream: pdfaid part 2 conformance B,
// dc:title and dc:creator, the dates, the producer, and quire's fields in its own schema, which
// the packet describes (PDF/A allows no undescribed properties). Without `identify_pdfa`, the
// same packet without the PDF/A identification, for a file that cannot claim it.
std::string PdfaXmp(const PdfDescription& description, bool identify_pdfa = true);

// "2024-03-14T09:30:00+00:00" (XMP) and "D:20240314093000+00'00'" (the document information
// dictionary): the same instant, as PDF/A requires of the two.
std::string XmpDate(int64_t unix_seconds);
std::string PdfDate(int64_t unix_seconds);

// An sRGB ICC profile (version 2.1) made by Little CMS, for the output intent.
Result<std::string> SrgbIccProfile();

}  // namespace quire::capture
