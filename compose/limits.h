#pragma once
// What the loader accepts at most, so that a hostile file costs bounded time, memory and stack
// (docs/ARCHITECTURE.md, "Limits"). Each limit is far above any real Compose file, and each is
// an error at file:line:col when it is reached, never a crash.
#include <cstddef>

namespace qpod::compose {

// Any file the loader reads: Compose files, includes, extends files, templates, .env and
// env_file files. Only regular files are read (not a FIFO, a device or a directory). A Compose
// file's tree takes ~90 times its size at the peak (2.5 MB of services: 227 MB), so this bounds
// one file's memory at ~750 MB; real files are well under 1 MB.
constexpr std::size_t kMaxFileBytes = 8u << 20;  // 8 MiB
constexpr const char* kMaxFileText = "8 MiB";
// All Compose files one load reads, each include and extends file counted every time it is
// read (an include listed a million times is a million reads).
constexpr std::size_t kMaxLoadBytes = 32u << 20;  // 32 MiB
constexpr const char* kMaxLoadText = "32 MiB";

// Nesting of YAML collections (mappings and sequences): checked while parsing, so that every
// later stage, which walks the tree recursively, has bounded depth.
constexpr std::size_t kMaxNestingDepth = 256;

// Chains that the loader follows recursively: a file including a file including..., a service
// extending a service extending...
constexpr std::size_t kMaxIncludeDepth = 32;
constexpr std::size_t kMaxExtendsDepth = 64;

// Nesting of ${...} inside a default or an alternative: ${A:-${B:-...}}.
constexpr int kMaxInterpolationDepth = 64;

// Nodes that aliases (and the anchors they copy) may produce, go-yaml's rule: up to 99% of the
// nodes of a document up to kAliasRatioLow nodes, falling to 10% at kAliasRatioHigh and over.
constexpr std::size_t kAliasRatioLow = 400'000;
constexpr std::size_t kAliasRatioHigh = 4'000'000;

// Port entries the `ports:` of all services may expand to (a range is one entry a port). Each
// costs ~2.5 KB through the pipeline (65,535 took 170 MB and 1.7 s), and podman publishes each
// with a rule of its own: 16,384 is far above what a pod publishes.
constexpr std::size_t kMaxPorts = 16384;

}  // namespace qpod::compose
