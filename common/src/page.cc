#include "quire/common/page.h"

#include <algorithm>

#include "quire/common/fields.h"

namespace quire {

int64_t Box::SharedArea(const Box& other) const {
  const int64_t w = std::min(right(), other.right()) - std::max(x, other.x);
  const int64_t h = std::min(bottom(), other.bottom()) - std::max(y, other.y);
  return w > 0 && h > 0 ? w * h : 0;
}

bool Box::OverlapsMostly(const Box& other) const {
  return 2 * SharedArea(other) > std::min(int64_t{w} * h, int64_t{other.w} * other.h);
}

Box Box::Union(const Box& other) const {
  if (other.empty()) return *this;
  if (empty()) return other;
  const int left = std::min(x, other.x);
  const int top = std::min(y, other.y);
  return Box{left, top, std::max(right(), other.right()) - left,
             std::max(bottom(), other.bottom()) - top};
}

int MedianWordHeight(std::span<const OcrWord> words) {
  std::vector<int> heights;
  for (const OcrWord& word : words) {
    if (!word.box.empty()) heights.push_back(word.box.h);
  }
  if (heights.empty()) return 20;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

const char* DocumentTypeName(DocumentType type) {
  switch (type) {
    case DocumentType::kInvoice: return "invoice";
    case DocumentType::kReceipt: return "receipt";
    case DocumentType::kForm: return "form";
    case DocumentType::kLetter: return "letter";
    case DocumentType::kOther: return "other";
  }
  return "other";
}

DocumentType ParseDocumentType(const std::string& name) {
  for (DocumentType t : {DocumentType::kInvoice, DocumentType::kReceipt, DocumentType::kForm,
                         DocumentType::kLetter}) {
    if (name == DocumentTypeName(t)) return t;
  }
  return DocumentType::kOther;
}

}  // namespace quire
