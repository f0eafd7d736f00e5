#pragma once
// The effect the generator leaves out: the contents of the secrets and configs the services use
// (`file:` read as the loader reads its files, `environment:` from the process environment,
// `content:` as written). External ones have no content here. Errors never hold a value.
#include <set>

#include "base/result.h"
#include "compose/model.h"
#include "kube/generate.h"

namespace qpod::kube {

Result<FileData> read_file_objects(const compose::Project& p,
                                   const std::set<std::string>& services);

}  // namespace qpod::kube
