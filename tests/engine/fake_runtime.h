#pragma once
// A podman::Runtime for tests (after ninja's FakeCommandRunner): records each call as its joined
// argv, answers from scripted replies, fails where told. Thread-safe: the executor calls it in
// parallel.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "podman/runtime.h"

namespace qpod::engine::testing {

using Calls = std::vector<std::string>;

class FakeRuntime : public podman::Runtime {
 public:
  // The first call whose joined argv starts with `prefix` (and contains every word of
  // `contains`) gets `reply`; replies stay in place for later calls unless `once`.
  void reply(std::string prefix, podman::RunResult result, bool once = false) {
    std::lock_guard lock(mu_);
    replies_.push_back({std::move(prefix), std::move(result), once});
  }
  // Calls whose argv has all these words, in this order, fail with exit 125 and `err`.
  void fail_on(std::vector<std::string> words, std::string err = "Error: scripted failure") {
    reply_words_.push_back({std::move(words), podman::RunResult{125, {}, std::move(err)}});
  }

  podman::RunResult run(const std::vector<std::string>& argv) override {
    std::lock_guard lock(mu_);
    std::string joined = podman::join_argv(argv);
    calls_.push_back(joined);
    for (const auto& [words, result] : reply_words_)
      if (has_words(argv, words)) return result;
    for (auto it = replies_.begin(); it != replies_.end(); ++it) {
      if (joined.rfind(it->prefix, 0) != 0) continue;
      podman::RunResult r = it->result;
      if (it->once) replies_.erase(it);
      return r;
    }
    return {};
  }

  Calls calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // The calls that start with `prefix` ("start", "create"), in order.
  Calls calls_starting(const std::string& prefix) const {
    Calls out;
    for (const auto& c : calls())
      if (c.rfind(prefix, 0) == 0) out.push_back(c);
    return out;
  }

 private:
  struct Reply {
    std::string prefix;
    podman::RunResult result;
    bool once;
  };
  static bool has_words(const std::vector<std::string>& argv,
                        const std::vector<std::string>& words) {
    std::size_t w = 0;
    for (const auto& a : argv)
      if (w < words.size() && a == words[w]) ++w;
    return w == words.size();
  }

  mutable std::mutex mu_;
  Calls calls_;
  std::vector<Reply> replies_;
  std::vector<std::pair<std::vector<std::string>, podman::RunResult>> reply_words_;
};

}  // namespace qpod::engine::testing
