#include "quire/common/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace quire {
namespace {

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
}

// FoldCaseAndAccents for ASCII text, the common case, without ICU's conversions: NFKC_Casefold
// maps only A-Z there, and NFD changes nothing; control characters are dropped as below.
std::string FoldAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c < 0x20 || c == 0x7f) continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

}  // namespace

std::string FoldCaseAndAccents(std::string_view text) {
  if (IsAscii(text)) return FoldAscii(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  const icu::UnicodeString decomposed =
      nfd->normalize(casefold->normalize(FromUtf8(text), status), status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    const int8_t type = u_charType(c);
    if (type != U_NON_SPACING_MARK && type != U_CONTROL_CHAR && type != U_FORMAT_CHAR) {
      kept.append(c);
    }
    i += U16_LENGTH(c);
  }
  return ToUtf8(kept);
}

std::string FoldCase(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::UnicodeString source = FromUtf8(text);
  icu::UnicodeString composed = U_SUCCESS(status) ? nfc->normalize(source, status) : source;
  if (U_FAILURE(status)) composed = source;
  composed.foldCase();
  return ToUtf8(composed);
}

}  // namespace quire
