// Review: whether a person must look at a document before its fields are trusted.
//
// A document needs review when a field its type requires is missing, a check failed, or a field's
// confidence is below the threshold. Each reason is written so a clerk knows what to look at.
#pragma once

#include <string>
#include <vector>

#include "quire/common/fields.h"

namespace quire::extract {

// invoice: invoice_number, invoice_date, total; receipt: total, invoice_date; others: none.
std::vector<std::string> RequiredFields(DocumentType type);

// Sets extraction.needs_review and review_reasons from its fields. On a document whose type
// requires fields (invoices, receipts), review looks at what a clerk must get right: the required
// fields (missing, failed a check, or less confident than the threshold) and any field that failed
// an exact check (checksums, impossible dates). Other fields show their own problems and
// confidence without holding the document for a person. On other documents, every field counts.
// A field a person set (set_by) never holds it.
void DecideReview(const std::vector<std::string>& required, double threshold,
                  Extraction& extraction);

}  // namespace quire::extract
