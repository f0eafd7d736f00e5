#include "compose/interpolate.h"

namespace qpod::compose {

// STUB: replaced by the interpolation stage.
Result<std::string> interpolate_string(std::string_view text, const Environment&, const Mark&,
                                       const std::string&) {
  return std::string(text);
}
Diagnostics interpolate(Node&, const Environment&) { return {}; }

}  // namespace qpod::compose
