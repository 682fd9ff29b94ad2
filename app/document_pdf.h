// The searchable PDF/A of an archived document or of a file read by `quire ocr --pdf`
// (capture/searchable_pdf.h), described by what quire knows of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "quire/capture/searchable_pdf.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::app {

// The PDF of `doc`, whose original is `original`: titled with its title, else its type, vendor,
// number and date, else its file name; `now` is when the PDF is written.
Result<std::string> DocumentPdf(const store::DocumentRecord& doc, std::string_view original,
                                const capture::CaptureOptions& options, int64_t now);

// The PDF of a file read but not archived, titled with the file's name.
Result<std::string> FilePdf(const std::string& file, std::string_view bytes,
                            const std::vector<PageText>& pages,
                            const capture::CaptureOptions& options, int64_t now);

}  // namespace quire::app
