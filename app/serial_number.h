// Archive serial numbers (ASN): the number on a label stuck to a paper original, so that the
// paper can be found from the archive and the archive from the paper. A barcode "ASN" followed by
// digits on any page of a document (the first one found) sets it; it is kept as the field "asn"
// (the number without leading zeros), shown and corrected like the other fields and found with
// asn:42. Each number belongs to one document: a second document with the same number keeps it,
// marked invalid, and goes to review.
//
// Thread safety: all functions may be called from several threads.
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "quire/common/fields.h"
#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::app {

inline constexpr char kSerialNumberField[] = "asn";

// The ASN read from the barcodes of `pages`: the first barcode "ASN" + 1 to 18 digits (any case,
// a space or dash allowed after "ASN").
std::optional<FieldValue> ReadSerialNumber(const std::vector<PageText>& pages);

// Sets the field "asn" of `extraction` from `pages`, and when another document of `archive`
// already has that number, marks the field invalid and sends the document to review. Nothing
// when the pages carry no ASN. The caller holds SerialNumberLock() from this call until the
// document is committed, so two documents with one number cannot both pass.
Status AssignSerialNumber(const std::vector<PageText>& pages, store::Archive& archive,
                          Extraction& extraction);

// Held while a document with an ASN is checked and committed.
std::mutex& SerialNumberLock();

// After extraction ran again on a stored document (`quire reextract`): keeps its ASN field from
// `before`, and its review when that number was taken.
void KeepSerialNumber(const Extraction& before, Extraction& after);

}  // namespace quire::app
