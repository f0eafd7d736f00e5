// Normalize, by Compose key: services.*.volumes, short and long syntax.
#include <catch2/catch.hpp>

#include "tests/compose/keys/normalize_fixture.h"

using namespace qpod;
using namespace qpod::compose;
using namespace qpod::normalize_fixture;

TEST_CASE("normalize turns short volumes into mounts") {
  auto r = run(R"(services:
  web:
    volumes:
      - ./a:/b:ro,z
      - /abs:/c:rw,rshared
      - data:/d:nocopy
      - /e
      - ~/x:/y:Z
      - ../up:/u
      - .:/here:cached
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("volumes") == R"(- type: bind
  source: /proj/a
  target: /b
  read_only: true
  bind:
    create_host_path: true
    selinux: z
- type: bind
  source: /abs
  target: /c
  bind:
    create_host_path: true
    propagation: rshared
- type: volume
  source: data
  target: /d
  volume:
    nocopy: true
- type: volume
  target: /e
- type: bind
  source: /home/u/x
  target: /y
  bind:
    create_host_path: true
    selinux: Z
- type: bind
  source: /up
  target: /u
  bind:
    create_host_path: true
- type: bind
  source: /proj
  target: /here
  consistency: cached
  bind:
    create_host_path: true
)");
}

TEST_CASE("normalize completes long volumes") {
  auto r = run(R"(services:
  web:
    volumes:
      - type: bind
        source: ./src
        target: /src
        read_only: "true"
        bind: {propagation: rslave}
      - type: bind
        source: /keep
        target: /keep
        read_only: false
        bind: {create_host_path: false}
      - type: tmpfs
        target: /tmp
        tmpfs: {size: 1g, mode: 1777}
      - type: volume
        source: data
        target: /data
        volume: {nocopy: "true", subpath: sub}
    tmpfs: /run
)");
  CHECK(r.errors.empty());
  CHECK(r.yaml("volumes") == R"(- type: bind
  source: /proj/src
  target: /src
  read_only: true
  bind:
    create_host_path: true
    propagation: rslave
- type: bind
  source: /keep
  target: /keep
  bind:
    create_host_path: false
- type: tmpfs
  target: /tmp
  tmpfs:
    mode: 1777
    size: 1073741824
- type: volume
  source: data
  target: /data
  volume:
    nocopy: true
    subpath: sub
)");
  CHECK(r.yaml("tmpfs") == "- /run\n");
}

TEST_CASE("normalize reports bad volumes") {
  auto r = run(R"(services:
  web:
    volumes:
      - a:b:c:d
      - ./a:/b:rx
      - ":/x"
      - type: tmpfs
        target: /t
        tmpfs: {size: lots}
)");
  CHECK(r.errors ==
        "c.yaml:4:9: services.web.volumes[0]: invalid volume \"a:b:c:d\": expected "
        "[SOURCE:]TARGET[:MODE]\n"
        "c.yaml:5:9: services.web.volumes[1]: invalid volume \"./a:/b:rx\": unknown option \"rx\" "
        "(expected ro, rw, z, Z, nocopy or a propagation mode)\n"
        "c.yaml:6:9: services.web.volumes[2]: invalid volume \":/x\": expected "
        "[SOURCE:]TARGET[:MODE]\n"
        "c.yaml:9:23: services.web.volumes[3].tmpfs.size: invalid byte size \"lots\": expected a "
        "number and an optional unit (b, k, kb, m, mb, g, gb), e.g. \"64m\"");
}
