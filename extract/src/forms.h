// Key/value pairs of forms, by layout: a printed label ending in ':' and its value to the right
// (on its line or in the next column of the same row) or under it; and checkboxes with their
// labels. Each field is named by its label as printed, without the colon; the first occurrence
// of a label wins. A label with nothing filled in has an empty value; a group of checkboxes
// after a label has the ticked options as its value; a checkbox on its own is "X" when ticked,
// empty when not. Dates in values are normalised to ISO, read in `order`.
#pragma once

#include "builtin_fields.h"
#include "document.h"

namespace quire::extract {

Fields ExtractFormFields(const Document& doc, DateOrder order);

}  // namespace quire::extract
