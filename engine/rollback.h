#pragma once
// After a failed `up`: the plan that takes back what that `up` made and nothing that existed
// before it. Pure, like the planner: it compares what was observed before the up with what is
// observed after it, so only objects with the project's labels that are new can go.
#include "engine/observe.h"
#include "engine/plan.h"

namespace qpod::engine {

// - the pod, if it is new (its containers are all this up's and go with it);
// - else each new container of qpod's whose service had none before, and each new one that is
//   never started (a failed `podman run` or `start` leaves one in Created state); a replacement
//   that started stays (the container it replaced is gone for good);
// - then the new networks and volumes with the project's label.
Plan plan_rollback(const Observed& before, const Observed& after);

}  // namespace qpod::engine
