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

// Sets extraction.needs_review and review_reasons from its fields.
void DecideReview(const std::vector<std::string>& required, double threshold,
                  Extraction& extraction);

}  // namespace quire::extract
