#include "engine/provider.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/text.h"

namespace qpod::engine {
namespace {

using nlohmann::json;

constexpr std::size_t kShown = 200;  // characters of a bad line quoted in an error

std::string first_line(const std::string& s) { return trim(s.substr(0, s.find('\n'))); }

std::string quote(const std::string& s) { return "\"" + s + "\""; }

std::string shown(const std::string& line) {
  return line.size() > kShown ? line.substr(0, kShown) + "..." : line;
}

// What the progress shows while COMMAND runs and once it is done.
std::pair<const char*, const char*> steps_of(const std::string& command) {
  if (command == "up") return {"Creating", "Created"};
  if (command == "down") return {"Removing", "Removed"};
  return {"Stopping", "Stopped"};
}

ProviderMetadata metadata(podman::Runtime& rt, const std::string& program,
                          const compose::StringMap& env) {
  std::string out;
  podman::RunResult r = rt.stream_program(program, {"compose", "metadata"}, env,
                                          [&](const std::string& line, bool is_err) {
                                            if (!is_err) out += line + "\n";
                                          });
  if (!r.ok()) {
    spdlog::debug("{} compose metadata: exit {}: no metadata", program, r.exit_code);
    return {};
  }
  return parse_provider_metadata(out);
}

}  // namespace

ProviderMetadata parse_provider_metadata(const std::string& out) {
  ProviderMetadata m;
  json j = json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return m;
  if (auto d = j.find("description"); d != j.end() && d->is_string() && !d->empty()) m.known = true;
  for (const char* command : {"up", "down", "stop"}) {
    auto c = j.find(command);
    if (c == j.end() || !c->is_object()) continue;
    if (std::string(command) == "stop") m.has_stop = true;
    auto params = c->find("parameters");
    if (params == c->end() || !params->is_array()) continue;
    if (std::string(command) != "stop") m.known = true;
    auto& names = m.parameters[command];
    for (const auto& p : *params)
      if (p.is_object() && p.contains("name") && p["name"].is_string())
        names[p["name"].get<std::string>()] =
            p.contains("required") && p["required"].is_boolean() && p["required"].get<bool>();
  }
  return m;
}

namespace {

Diagnostic failed(std::string message) { return Diagnostic{"", 0, 0, "", std::move(message)}; }

}  // namespace

Result<std::vector<std::string>> provider_argv(const compose::Project& p, const compose::Service& s,
                                               const std::string& command,
                                               const ProviderMetadata& m) {
  std::vector<std::string> argv;
  const compose::Provider& provider = *s.provider;
  const std::map<std::string, bool> none;
  auto it = m.parameters.find(command);
  const auto& declared = it == m.parameters.end() ? none : it->second;
  if (m.known)
    for (const auto& [name, required] : declared)
      if (required && !provider.options.count(name))
        return failed("required parameter " + quote(name) + " is missing from provider " +
                      quote(provider.type) + " definition");
  argv = {"compose", "--project-name=" + p.name, command};
  for (const auto& [name, values] : provider.options) {
    if (m.known && !declared.count(name)) continue;
    for (const auto& v : values) argv.push_back("--" + name + "=" + v);  // one element each
  }
  argv.push_back(s.name);
  return argv;
}

std::optional<ProviderMessage> parse_provider_line(const std::string& line) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto type = j.find("type");
  auto message = j.find("message");
  if (type == j.end() || !type->is_string()) return std::nullopt;
  ProviderMessage m{type->get<std::string>(), {}};
  if (message != j.end() && message->is_string()) m.message = message->get<std::string>();
  return m;
}

Result<ProviderVariables> run_provider(podman::Runtime& rt, const compose::Project& p,
                                       const compose::Service& s, const std::string& command,
                                       Progress& progress, const std::atomic<bool>* cancel) {
  ProviderVariables variables;
  const std::string& type = s.provider->type;
  std::string program = rt.find_program(type);
  if (program.empty()) return failed("provider program " + type + " not found in PATH");
  ProviderMetadata meta = metadata(rt, program, p.environment);
  if (command == "stop" && !meta.has_stop) {
    spdlog::debug("{}: provider {} declares no stop: skipped", s.name, type);
    return variables;
  }
  auto args = provider_argv(p, s, command, meta);
  if (!args) return args.errors();
  auto [doing, done] = steps_of(command);
  progress.begin("Service", s.name, doing);
  std::string failure, last_err;
  auto on_line = [&](const std::string& line, bool is_err) {
    if (is_err) {
      spdlog::debug("{} ({}): {}", s.name, type, line);
      if (!trim(line).empty()) last_err = trim(line);
      return;
    }
    if (!failure.empty() || trim(line).empty()) return;
    auto msg = parse_provider_line(line);
    if (!msg) {
      failure = "invalid response from provider " + type + ": " + shown(line);
    } else if (msg->type == "error") {
      failure = msg->message;
    } else if (msg->type == "info") {
      progress.event("Service", s.name, first_line(msg->message));
    } else if (msg->type == "debug") {
      spdlog::debug("{}: {}", s.name, msg->message);
    } else if (msg->type == "setenv" || msg->type == "rawsetenv") {
      auto eq = msg->message.find('=');
      if (eq == std::string::npos || eq == 0) {
        failure = "invalid response from provider " + type + ": " + shown(msg->message);
        return;
      }
      auto& into = msg->type == "setenv" ? variables.prefixed : variables.raw;
      into[msg->message.substr(0, eq)] = msg->message.substr(eq + 1);
    } else {
      failure = "invalid response from provider " + type + ": type " + quote(shown(msg->type));
    }
  };
  podman::RunResult r = rt.stream_program(program, *args, p.environment, on_line, cancel);
  if (failure.empty() && !r.ok()) {
    failure = type + " compose " + command + " failed (exit " + std::to_string(r.exit_code) + ")";
    if (!last_err.empty()) failure += ": " + last_err;
  }
  if (!failure.empty()) return failed(failure);
  progress.event("Service", s.name, done);
  return variables;
}

void provide_variables(const compose::Project& p, const std::string& provider,
                       const ProviderVariables& v,
                       std::map<std::string, std::map<std::string, std::string>>& into,
                       std::vector<std::string>& warnings) {
  const std::string prefix = upper(provider) + "_";  // as docker compose: "my-db" → "MY-DB_"
  for (const auto& [name, s] : p.services) {
    if (!s.depends_on.count(provider)) continue;
    auto& env = into[name];
    for (const auto& [key, value] : v.prefixed) env[prefix + key] = value;
    for (const auto& [key, value] : v.raw) {
      bool overrides = false;
      if (auto have = env.find(key); have != env.end())
        overrides = have->second != value;
      else if (auto declared = s.environment.find(key); declared != s.environment.end())
        overrides = !declared->second || *declared->second != value;
      if (overrides)
        warnings.push_back("provider " + quote(provider) + " overrides environment variable " +
                           quote(key) + " in service " + quote(name));
      env[key] = value;
    }
  }
}

Plan leading_providers(const Plan& plan) {
  Plan first;
  std::vector<int> at(plan.actions.size(), -1);  // index in `first`, -1 = not there
  for (std::size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (a.kind != ActionKind::ProviderUp) continue;
    Action copy = a;
    bool leading = true;
    for (int& before : copy.after) {
      before = at[static_cast<std::size_t>(before)];
      leading = leading && before >= 0;
    }
    if (!leading) continue;
    at[i] = static_cast<int>(first.actions.size());
    first.actions.push_back(std::move(copy));
  }
  return first;
}

Diagnostics missing_providers(podman::Runtime& rt, const compose::Project& p, const Plan& plan) {
  Diagnostics errors;
  for (const auto& a : plan.actions) {
    if (a.kind != ActionKind::ProviderUp && a.kind != ActionKind::ProviderDown &&
        a.kind != ActionKind::ProviderStop)
      continue;
    const std::string& name = a.service;
    auto it = p.services.find(name);
    if (it == p.services.end() || !it->second.provider) continue;
    const std::string& type = it->second.provider->type;
    if (rt.find_program(type).empty())
      errors.push_back(Diagnostic{"", 0, 0, "",
                                  "service " + name + ": provider program " + type +
                                      " not found in PATH (provider.type names a program to run "
                                      "as `" +
                                      type + " compose up`)"});
  }
  return errors;
}

}  // namespace qpod::engine
