#include "systemd/generate.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "engine/lock.h"
#include "engine/planner.h"
#include "podman/podman_argv.h"
#include "systemd/unit_syntax.h"

namespace qpod::systemd {
namespace {

using compose::Project;
using compose::Service;
using podman::Argv;
using namespace std::chrono_literals;

// Waits until `podman healthcheck run` passes: $0 podman, $1 the container, $2 the attempts,
// $3 the seconds between them. The script is a constant; the values are its arguments, never
// part of its text.
constexpr const char* kHealthWait =
    "n=0; until \"$0\" healthcheck run \"$1\" >/dev/null; do n=$((n+1)); "
    "if [ \"$n\" -ge \"$2\" ]; then echo \"$1 is not healthy after $n checks\" >&2; exit 1; fi; "
    "sleep \"$3\"; done";

constexpr int kDefaultStopSeconds = 10;  // podman stop's

std::string seconds_text(compose::Duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string frac = std::to_string(1000 + ms % 1000).substr(1);
    while (frac.back() == '0') frac.pop_back();
    text += "." + frac;
  }
  return text;
}

long long ceil_seconds(compose::Duration d) {
  return (std::chrono::duration_cast<std::chrono::nanoseconds>(d).count() + 999'999'999) /
         1'000'000'000;
}

std::vector<Word> words_of(const Argv& argv, std::size_t from = 0) {
  std::vector<Word> w;
  for (std::size_t i = from; i < argv.size(); ++i) w.push_back(literal(argv[i]));
  return w;
}

std::vector<Word> operator+(std::vector<Word> a, const std::vector<Word>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One unit's text, section by section; a value with a NUL byte makes it fail.
class UnitText {
 public:
  explicit UnitText(const std::string& name) { text_ = "# " + name + "\n"; }
  void comment(const std::string& line) { text_ += "# " + plain_value(line) + "\n"; }
  void section(const char* name) { text_ += std::string("\n[") + name + "]\n"; }
  void set(const std::string& key, const std::string& value) { text_ += key + "=" + value + "\n"; }
  void exec(const std::string& key, const std::string& program, const std::vector<Word>& words) {
    auto line = exec_line(program, words);
    if (!line) {
      ok_ = false;
      return;
    }
    text_ += key + "=" + *line + "\n";
  }
  bool ok() const { return ok_; }
  std::string text() const { return text_; }

 private:
  std::string text_;
  bool ok_ = true;
};

bool required(const Service& s, const std::string& dep) {
  auto it = s.depends_on.find(dep);
  return it == s.depends_on.end() || it->second.required;
}

bool has_check(const Service& s) {
  const auto& h = s.healthcheck;
  return h && !h->disable && !h->test.empty() && h->test[0] != "NONE";
}

int replicas(const Service& s) { return std::max(1, s.scale.value_or(1)); }

// Restart= from `restart` / deploy.restart_policy (bind maps both to one value). Under systemd
// a stop is the user's, so unless-stopped is always.
struct RestartSetting {
  std::string restart = "no";
  int max_attempts = 0;  // on-failure:N
};
RestartSetting restart_of(const Service& s) {
  RestartSetting r;
  if (s.restart == "always" || s.restart == "unless-stopped") r.restart = "always";
  if (s.restart.starts_with("on-failure")) {
    r.restart = "on-failure";
    if (auto colon = s.restart.find(':'); colon != std::string::npos) {
      const std::string n = s.restart.substr(colon + 1);
      auto digit = [](char c) { return c >= '0' && c <= '9'; };
      if (!n.empty() && n.size() < 9 && std::all_of(n.begin(), n.end(), digit))
        r.max_attempts = std::stoi(n);
    }
  }
  return r;
}

class Generator {
 public:
  Generator(const Project& p, const graph::ServiceGraph& g, const SystemdOptions& o)
      : p_(p), g_(g), o_(o) {}

  Result<Units> run() {
    std::set<std::string> selected;
    if (o_.services.empty()) {
      selected = engine::default_up_selection(p_, g_);
    } else {
      auto sel = g_.select_checked(o_.services, true);
      if (!sel) return sel.errors();
      selected = *sel;
    }
    for (const auto& name : g_.topological_order())
      if (selected.count(name)) check(p_.services.at(name));
    if (!errors_.empty()) return errors_;
    for (const auto& name : g_.topological_order()) {
      if (!selected.count(name)) continue;
      const Service& s = p_.services.at(name);
      if (s.provider) {
        units_.warnings.push_back("service " + name +
                                  ": a provider service has no container and no unit (its "
                                  "program runs only under `qpod up`); its dependants start "
                                  "without it and without its variables");
        continue;
      }
      order_.push_back(name);
      for (const auto& [dep, d] : s.depends_on) {
        if (!selected.count(dep)) continue;
        if (d.condition == "service_healthy") healthy_.insert(dep);
        if (d.condition == "service_completed_successfully") completed_.insert(dep);
      }
    }
    units_.files.push_back({pod_unit(p_), pod_text()});
    for (const auto& name : order_)
      for (int k = 1; k <= replicas(p_.services.at(name)); ++k)
        units_.files.push_back(
            {container_unit(p_, p_.services.at(name), k), container_text(p_.services.at(name), k)});
    if (!errors_.empty()) return errors_;
    return units_;
  }

 private:
  // What the units cannot hold: refused before any text is made.
  void check(const Service& s) {
    const std::string base = "services." + s.name;
    auto file_objects = [&](const std::vector<compose::FileReference>& refs,
                            const std::map<std::string, compose::FileObject>& objects,
                            const char* key) {
      bool secret = std::string(key) == "secrets";
      for (std::size_t i = 0; i < refs.size(); ++i) {
        auto it = objects.find(refs[i].source);
        if (it == objects.end() || it->second.external) continue;  // podman's secret, or none
        const compose::Node* list = s.node.find(key);
        const compose::Node* at =
            list && list->is_sequence() && i < list->size() ? &list->items[i] : &s.node;
        const std::string path = base + "." + key + "[" + std::to_string(i) + "]";
        const std::string what = std::string(secret ? "secret " : "config ") + refs[i].source;
        auto number = [](const std::string& t) {
          return t.size() < 10 &&
                 std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        if (!number(refs[i].uid) || !number(refs[i].gid))
          errors_.push_back(compose::error_at(*at, path, what + ": uid and gid must be numbers"));
        const compose::FileObject& o = it->second;
        if (!o.file.empty() || (o.environment.empty() && (secret || o.content.empty())))
          continue;  // copied from its file, or nothing to mount (as up)
        errors_.push_back(compose::error_at(
            *at, path,
            what + ": systemd units copy secrets and configs from a `file:` only, as qpod "
                   "writes no value into a unit or a file beside it: use a file, or a podman "
                   "secret (`podman secret create NAME FILE`, declared `external: true` with "
                   "`name: NAME` under the top-level secrets)"));
      }
    };
    file_objects(s.secrets, p_.secrets, "secrets");
    file_objects(s.configs, p_.configs, "configs");
    if (int n = replicas(s); n > 1 && !s.provider) {
      bool published = std::any_of(s.ports.begin(), s.ports.end(), [](const compose::Port& port) {
        return !port.published.empty();
      });
      if (!s.container_name.empty() || published)
        errors_.push_back(compose::error_at(
            s.node, base,
            "cannot run " + std::to_string(n) + " containers in one pod: " +
                (published ? "a host port is published once" : "container_name names one")));
    }
    std::string unit = container_unit(p_, s, replicas(s));
    if (!valid_unit_name(unit) || !valid_unit_name(pod_unit(p_)))
      errors_.push_back(compose::error_at(s.node, base, "no systemd unit can be named " + unit));
  }

  // A NUL byte in a value: systemd (and exec) cannot pass it.
  void failed_text(const std::string& where, const compose::Node& node) {
    errors_.push_back(compose::error_at(
        node, where, "a value holds a NUL byte, which no command argument can hold"));
  }

  std::string pod_text() {
    const std::string name = pod_unit(p_);
    UnitText u(name);
    u.comment("qpod systemd generate: the pod of project " + p_.name +
              " (its networks and volumes, then `podman pod create` as qpod up runs it)");
    u.section("Unit");
    u.set("Description", "qpod pod " + plain_value(p_.name));
    u.set("Wants", "network-online.target");
    u.set("After", "network-online.target");
    u.set("RequiresMountsFor", "%t/containers");
    std::vector<std::string> members;
    for (const auto& svc : order_)
      for (int k = 1; k <= replicas(p_.services.at(svc)); ++k)
        members.push_back(container_unit(p_, p_.services.at(svc), k));
    for (const auto& m : members) {
      u.set("Wants", m);
      u.set("Before", m);
    }
    u.section("Service");
    u.set("Environment", "PODMAN_SYSTEMD_UNIT=%n");
    u.set("Restart", "on-failure");
    u.set("TimeoutStopSec", "70");
    u.exec("ExecStartPre", "/bin/rm",
           {specified("-f"), specified("%t/%N.pid"), specified("%t/%N.pod-id")});
    // Networks and volumes: created when missing (podman 4.3 has no --ignore: "-" lets an
    // existing one pass; a real failure shows when the pod or a container needs it).
    for (const auto& key : podman::pod_networks(p_)) {
      auto it = p_.networks.find(key);
      if (it != p_.networks.end() && it->second.external) continue;
      u.exec("ExecStartPre", "-" + o_.podman, words_of(podman::network_create(p_, key)));
    }
    std::set<std::string> volumes;
    for (const auto& svc : order_)
      for (const auto& m : p_.services.at(svc).volumes)
        if (m.type == "volume" && !m.source.empty()) volumes.insert(m.source);
    for (const auto& key : volumes) {
      auto it = p_.volumes.find(key);
      if (it == p_.volumes.end() || it->second.external) continue;
      u.exec("ExecStartPre", "-" + o_.podman, words_of(podman::volume_create(p_, key)));
    }
    Argv create = podman::pod_create(p_);  // "pod" "create" ...: up's flags after ours
    u.exec("ExecStartPre", o_.podman,
           std::vector<Word>{literal("pod"), literal("create"),
                             specified("--infra-conmon-pidfile=%t/%N.pid"),
                             specified("--pod-id-file=%t/%N.pod-id"),
                             specified("--exit-policy=stop"), specified("--replace")} +
               words_of(create, 2));
    u.exec("ExecStart", o_.podman,
           {specified("pod"), specified("start"), specified("--pod-id-file=%t/%N.pod-id")});
    u.exec("ExecStop", o_.podman,
           {specified("pod"), specified("stop"), specified("--ignore"),
            specified("--pod-id-file=%t/%N.pod-id"), specified("-t"), specified("10")});
    u.exec("ExecStopPost", o_.podman,
           {specified("pod"), specified("rm"), specified("--ignore"), specified("-f"),
            specified("--pod-id-file=%t/%N.pod-id")});
    u.set("PIDFile", "%t/%N.pid");
    u.set("Type", "forking");
    u.section("Install");
    u.set("WantedBy", "default.target");
    if (!u.ok()) failed_text("services", p_.node);
    return u.text();
  }

  // up's prepare_service as ExecStartPre lines: each `file:` secret and config copied to the
  // private file the container mounts (folders 0700 from podman::lock_dir() down), with the
  // reference's mode (0444) and owner. The copies live in the runtime folder, so every start
  // makes them again.
  void copy_file_objects(UnitText& u, const Service& s, bool secret) {
    const auto& refs = secret ? s.secrets : s.configs;
    const auto& objects = secret ? p_.secrets : p_.configs;
    for (const auto& ref : refs) {
      auto it = objects.find(ref.source);
      if (it == objects.end() || it->second.external || it->second.file.empty()) continue;
      const std::string dest = podman::host_file_path(p_, s, secret, ref);
      const std::string base = podman::lock_dir();
      std::vector<Word> dirs{specified("-d"), specified("-m"), specified("0700"), literal(base)};
      std::vector<std::string> below;
      for (auto d = std::filesystem::path(dest).parent_path();
           d.string().size() > base.size() && d.has_relative_path(); d = d.parent_path())
        below.insert(below.begin(), d.string());
      for (const auto& d : below) dirs.push_back(literal(d));
      u.exec("ExecStartPre", "/usr/bin/install", dirs);
      char mode[16];
      std::snprintf(mode, sizeof mode, "%04o", ref.mode.value_or(0444));
      std::vector<Word> copy{specified("-m"), literal(mode)};
      bool owner = !ref.uid.empty() || !ref.gid.empty();
      std::string uid = ref.uid.empty() ? "0" : ref.uid, gid = ref.gid.empty() ? "0" : ref.gid;
      if (owner && !o_.rootless)
        copy =
            copy + std::vector<Word>{specified("-o"), literal(uid), specified("-g"), literal(gid)};
      copy = copy + std::vector<Word>{specified("-T"), specified("--"), literal(it->second.file),
                                      literal(dest)};
      u.exec("ExecStartPre", "/usr/bin/install", copy);
      if (owner && o_.rootless)  // the container's ids are the user namespace's
        u.exec("ExecStartPre", o_.podman,
               {specified("unshare"), specified("chown"), literal(uid + ":" + gid), literal(dest)});
    }
  }

  std::string container_text(const Service& s, int number) {
    const std::string name = container_unit(p_, s, number);
    const std::string ctr = podman::container_name(p_, s, number);
    RestartSetting restart = restart_of(s);
    // A service others wait for to complete runs as a oneshot: its unit is started once the
    // container exited, with 0 (RemainAfterExit keeps it active for Requires=).
    bool oneshot = completed_.count(s.name) > 0;
    if (oneshot && restart.restart == "always") {
      units_.warnings.push_back("service " + s.name + ": restart: " + s.restart +
                                " keeps it running, so its dependants cannot wait for it to "
                                "complete: they start once it started");
      oneshot = false;
    }
    if (!warned_.count(s.name)) {
      warned_.insert(s.name);
      for (const auto& w : podman::service_warnings(p_, s, o_.host))
        units_.warnings.push_back("service " + s.name + ": " + w);
      if (s.build)
        units_.warnings.push_back("service " + s.name + ": the units do not build its image " +
                                  podman::image_of(p_, s) + ": run `qpod build` first");
      if (oneshot && !s.post_start.empty())
        units_.warnings.push_back("service " + s.name +
                                  ": post_start hooks are not run (the unit is a oneshot, "
                                  "started once the container exited)");
      if (healthy_.count(s.name) && !has_check(s))
        units_.warnings.push_back("service " + s.name +
                                  ": dependants wait for it to be healthy, but it has no "
                                  "healthcheck: its unit fails to start");
    }

    UnitText u(name);
    u.comment("qpod systemd generate: service " + s.name + " of project " + p_.name +
              " (container " + ctr + ", `podman run` as qpod up runs it)");
    u.section("Unit");
    u.set("Description", "qpod service " + plain_value(s.name) + " of " + plain_value(p_.name) +
                             " (" + plain_value(ctr) + ")");
    u.set("BindsTo", pod_unit(p_));
    u.set("After", pod_unit(p_));
    for (const auto& dep : g_.dependencies(s.name)) {
      auto it = std::find(order_.begin(), order_.end(), dep);
      if (it == order_.end()) continue;  // not selected, or a provider
      const Service& d = p_.services.at(dep);
      for (int k = 1; k <= replicas(d); ++k) {
        u.set(required(s, dep) ? "Requires" : "Wants", container_unit(p_, d, k));
        u.set("After", container_unit(p_, d, k));
      }
    }
    if (restart.max_attempts > 0) {  // on-failure:N: N restarts after the first start
      u.set("StartLimitIntervalSec", "infinity");
      u.set("StartLimitBurst", std::to_string(restart.max_attempts + 1));
    }

    long long stop_s =
        s.stop_grace_period ? ceil_seconds(*s.stop_grace_period) : kDefaultStopSeconds;
    u.section("Service");
    u.set("Environment", "PODMAN_SYSTEMD_UNIT=%n");
    u.set("Restart", oneshot && restart.restart != "on-failure" ? "no" : restart.restart);
    u.set("TimeoutStopSec", std::to_string(stop_s + 60));
    u.exec("ExecStartPre", "/bin/rm", {specified("-f"), specified("%t/%n.ctr-id")});
    for (const auto& m : s.volumes)  // up creates a missing bind source (create_host_path)
      if (m.type == "bind" && m.bind_create_host_path && !m.source.empty())
        u.exec("ExecStartPre", "-/bin/mkdir",
               {specified("-p"), specified("--"), literal(m.source)});
    copy_file_objects(u, s, true);
    copy_file_objects(u, s, false);

    // up's argv, with podman's restart policy left to systemd (podman refuses it with --rm).
    Service run = s;
    run.restart.clear();
    Argv argv =
        podman::container_run(p_, run, number, {}, {{}, o_.host.gpu_cdi});  // "run" "--detach" ...
    std::vector<Word> head{literal("run"), specified("--cidfile=%t/%n.ctr-id"),
                           specified("--cgroups=no-conmon"), specified("--rm"),
                           specified("--replace")};
    if (oneshot) {
      u.exec("ExecStart", o_.podman, head + words_of(argv, 2));  // attached: its exit code
    } else {
      head.push_back(specified("--sdnotify=conmon"));
      u.exec("ExecStart", o_.podman, head + words_of(argv, 1));
    }
    if (!oneshot)
      for (const auto& hook : s.post_start)
        u.exec("ExecStartPost", o_.podman, words_of(podman::container_exec_hook(ctr, hook)));
    if (healthy_.count(s.name) && !oneshot) {
      compose::Healthcheck hc = s.healthcheck.value_or(compose::Healthcheck{});
      compose::Duration interval = hc.interval.value_or(30s);
      compose::Duration every = hc.start_interval.value_or(interval);
      if (every <= 0s) every = 1s;
      compose::Duration start = hc.start_period.value_or(0s);
      int attempts =
          static_cast<int>((start + every - 1ns) / every) + std::max(1, hc.retries.value_or(3)) + 1;
      compose::Duration timeout = hc.timeout.value_or(30s);
      u.set("TimeoutStartSec",
            std::to_string(90 + static_cast<long long>(attempts) * ceil_seconds(every + timeout)));
      u.exec("ExecStartPost", "/bin/sh",
             {literal("-c"), literal(kHealthWait), literal(o_.podman), literal(ctr),
              literal(std::to_string(attempts)), literal(seconds_text(every))});
    }
    for (const auto& hook : s.pre_stop)  // a failed hook does not keep the container running
      u.exec("ExecStop", "-" + o_.podman, words_of(podman::container_exec_hook(ctr, hook)));
    u.exec("ExecStop", o_.podman,
           {specified("stop"), specified("--ignore"), specified("-t"),
            specified(std::to_string(stop_s)), specified("--cidfile=%t/%n.ctr-id")});
    u.exec("ExecStopPost", o_.podman,
           {specified("rm"), specified("-f"), specified("--ignore"), specified("-t"),
            specified(std::to_string(stop_s)), specified("--cidfile=%t/%n.ctr-id")});
    if (oneshot) {
      u.set("Type", "oneshot");
      u.set("RemainAfterExit", "yes");
    } else {
      u.set("Type", "notify");
      u.set("NotifyAccess", "all");
    }
    u.section("Install");
    u.set("WantedBy", "default.target");
    if (!u.ok()) failed_text("services." + s.name, s.node);
    return u.text();
  }

  const Project& p_;
  const graph::ServiceGraph& g_;
  const SystemdOptions& o_;
  Units units_;
  Diagnostics errors_;
  std::vector<std::string> order_;             // the selected services with a container
  std::set<std::string> healthy_, completed_;  // services others wait for
  std::set<std::string> warned_;
};

}  // namespace

std::string pod_unit(const Project& p) { return "pod-" + podman::pod_name(p) + ".service"; }

std::string container_unit(const Project& p, const Service& s, int number) {
  return "container-" + podman::container_name(p, s, number) + ".service";
}

Result<Units> generate(const Project& p, const graph::ServiceGraph& g, const SystemdOptions& o) {
  return Generator(p, g, o).run();
}

}  // namespace qpod::systemd
