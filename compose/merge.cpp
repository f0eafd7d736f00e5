#include "compose/merge.h"

namespace qpod::compose {

// STUB: replaced by the Compose merge rules.
Result<Node> merge_service(Node base, const Node& over, const std::string& path) {
  if (!base.is_mapping() || !over.is_mapping()) return over;
  for (std::size_t i = 0; i < over.keys.size(); ++i) {
    Node* b = base.find(over.keys[i].name);
    if (b && b->is_mapping() && over.items[i].is_mapping()) {
      auto m = merge_service(*b, over.items[i], child_path(path, over.keys[i].name));
      if (!m) return m;
      *b = std::move(m).value();
    } else {
      base.set(over.keys[i].name, over.items[i], over.keys[i].mark);
    }
  }
  return base;
}
Result<Node> merge_files(Node base, const Node& over) {
  return merge_service(std::move(base), over, "");
}
void strip_reset_tags(Node&) {}

}  // namespace qpod::compose
