// qpod stats with no container of the project: the empty table podman prints with its rows.
#include "engine/stats_empty.h"

#include <catch2/catch.hpp>

using namespace qpod::engine;

TEST_CASE("stats without containers: the default table's header, as podman 4.3 prints it",
          "[engine][stats]") {
  const std::string header =
      "ID          NAME        CPU %       MEM USAGE / LIMIT  MEM %       NET IO      BLOCK IO    "
      "PIDS        CPU TIME    AVG CPU %\n";
  CHECK(stats_without_containers("") == header);
  CHECK(stats_without_containers("table") == header);
}

TEST_CASE("stats without containers: a table template's header, a row template's nothing",
          "[engine][stats]") {
  // podman 4.3's own output for these templates with no row.
  CHECK(stats_without_containers("table {{.Name}} {{.CPUPerc}}") == "NAME        CPU %\n");
  CHECK(stats_without_containers("table {{.Name}}\\t{{.CPUPerc}}|x {{.MemPerc}}") ==
        "NAME        CPU %|x     MEM %\n");
  CHECK(stats_without_containers("table {{.ID}} {{.UpTime}} {{.AVGCPU}} {{.MemUsageBytes}} "
                                 "{{.ContainerID}} {{ .Name }} {{.CPU}} {{.CPUNano}} "
                                 "{{.NetInput}} {{.PIDs}}") ==
        "ID          CPU TIME    AVG CPU %   MEM USAGE / LIMIT  CONTAINER ID  NAME        CPU    "
        "     CPU NANO    NET INPUT   PI DS\n");
  CHECK(stats_without_containers("{{.Name}}") == "");
  CHECK(stats_without_containers("{{json .}}") == "");
  // json: podman's list, empty (what `qpod stats --format json` gives with rows is podman's
  // list too)
  CHECK(stats_without_containers("json") == "[]\n");
}
