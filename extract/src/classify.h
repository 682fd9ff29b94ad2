// Classification: invoice, receipt, form, letter or other, with a score.
//
// The rules are data (classify.cc): keyword phrases with a weight per document type, and layout
// cues (a narrow page is a receipt; many "Label:" lines or checkboxes make a form; long lines of
// prose make a letter). Each type's score is the sum of the weights of the cues present; the
// best type wins when it scores enough, and its share of all the scores is the type score.
#pragma once

#include "document.h"
#include "quire/common/fields.h"

namespace quire::extract {

struct Classification {
  DocumentType type = DocumentType::kOther;
  double score = 0;  // 0..1
};

Classification Classify(const Document& doc);

}  // namespace quire::extract
