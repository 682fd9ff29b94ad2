// Key/value pairs of forms, by layout: a printed label ending in ':' and its value to the right
// (on its line or in the next column of the same row) or under it; and checkboxes with their
// labels. Each field is named by its label as printed, without the colon; the first occurrence
// of a label wins.
#pragma once

#include "document.h"
#include "fields.h"

namespace quire::extract {

Fields ExtractFormFields(const Document& doc);

}  // namespace quire::extract
