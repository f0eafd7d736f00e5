// The template stage: a QPOD template to a Compose tree, through the whole loading pipeline.
#include "compose/template.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "compose/bind.h"
#include "compose/emit.h"
#include "compose/loader.h"
#include "compose/parse.h"

namespace fs = std::filesystem;
using namespace qpod;
using namespace qpod::compose;

namespace {

// A repository folder (with .git) holding `.qpod/template.json`.
struct Repo {
  fs::path dir;
  explicit Repo(const std::string& tmpl, const std::string& file = "template.json") {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("qpod-tmpl-" + std::to_string(getpid()) + "-" + std::to_string(n++)) / "myrepo";
    fs::create_directories(dir / ".git");
    fs::create_directories(dir / ".qpod");
    std::ofstream(dir / ".qpod" / file) << tmpl;
  }
  ~Repo() {
    std::error_code ec;
    fs::remove_all(dir.parent_path(), ec);
  }
  std::string file(const std::string& name = "template.json") const {
    return (dir / ".qpod" / name).string();
  }
  Result<Project> load(const std::string& name = "template.json") const {
    LoadOptions o;
    o.template_file = file(name);
    o.git_root = dir.string();
    o.default_name = "myrepo-0123abcd";
    o.process_env = Variables{{"HOME", "/home/me"}};
    return load_project(o);
  }
};

const char* kTemplate = R"({
  "name": "qpod",
  "image": "localhost/centos7-qpod:latest",
  "env": {"CC": "gcc", "N": 3},
  "mounts": [{"source": "/tmp"}, {"source": "cache", "target": "/cache", "readonly": true}],
  "binaries": [{"name": "waf"}, {"name": "gdb", "services": ["web"], "runArgs": ["--cap-add=SYS_PTRACE"]}],
  "defaultRunArgs": ["--security-opt=label=disable"],
  "ports": ["8000:8000"],
  "services": {
    "web": {"command": "python3 -m http.server", "start": "binary", "ports": ["8000:80"],
            "watch": ["build/*.so"]},
    "zk": {"image": "zookeeper:3.8", "start": "manual",
           "healthcheck": {"test": ["CMD", "true"], "interval": "5s"}}
  }
}
)";

}  // namespace

TEST_CASE("template_to_compose moves environment keys under x-qpod, start/watch under services") {
  auto t = parse_yaml(R"({"image": "img", "binaries": [{"name": "make"}], "volumes": {"v": {}},
    "x-other": 1, "services": {"db": {"image": "pg", "watch": ["a"]}, "app": {"command": "x"}}})",
                      "t.json");
  REQUIRE(t.ok());
  auto c = template_to_compose(*t);
  REQUIRE(c.ok());
  CHECK(to_yaml(*c) == R"(services:
  db:
    image: pg
    x-qpod:
      watch:
        - a
      start: auto
  app:
    command: x
    image: img
    x-qpod:
      start: auto
volumes:
  v: {}
x-other: 1
x-qpod:
  image: img
  binaries:
    - name: make
)");
}

TEST_CASE("template_to_compose: a service without image gets the environment's build") {
  auto t = parse_yaml(R"({"build": ".", "services": {"app": {}}})", "t.json");
  auto c = template_to_compose(*t);
  REQUIRE(c.ok());
  CHECK(to_yaml(*c->find("services")->find("app")) == "build: .\nx-qpod:\n  start: auto\n");
}

TEST_CASE("template_to_compose rejects what is not a template, with positions") {
  Node list = Node::sequence(Mark{std::make_shared<const std::string>("t.json"), 1, 1});
  CHECK(format(template_to_compose(list).errors()) ==
        "t.json:1:1: a template is a mapping (a JSON object), not a list\n");
  auto services = parse_yaml("{\"services\": [1]}", "t.json");
  CHECK(format(template_to_compose(*services).errors()) ==
        "t.json:1:14: services: expected a mapping of services, not a list\n");
}

TEST_CASE("find_template: template.json first, then template.yaml") {
  Repo r("image: x\n", "template.yaml");
  CHECK(find_template(r.dir.string()) == r.file("template.yaml"));
  std::ofstream(r.dir / ".qpod" / "template.json") << "{}";
  CHECK(find_template(r.dir.string()) == r.file());
  CHECK_FALSE(find_template(r.dir.parent_path().string()));
}

TEST_CASE("a template loads into Project::qpod and Service::qpod") {
  Repo r(kTemplate);
  auto p = r.load();
  REQUIRE(p.ok());
  CHECK(p->name == "myrepo-0123abcd");
  CHECK(p->working_dir == r.dir.string());
  CHECK(p->config_files == std::vector<std::string>{r.file()});
  REQUIRE(p->qpod);
  const QpodEnvironment& q = *p->qpod;
  CHECK(q.name == "qpod");
  CHECK(q.image == "localhost/centos7-qpod:latest");
  CHECK(q.env == StringMap{{"CC", "gcc"}, {"N", "3"}});
  CHECK(q.mounts ==
        std::vector<QpodMount>{{"/tmp", "", false}, {(r.dir / "cache").string(), "/cache", true}});
  CHECK(q.binaries ==
        std::vector<QpodBinary>{{"waf", {}, {}}, {"gdb", {"web"}, {"--cap-add=SYS_PTRACE"}}});
  CHECK(q.default_run_args == std::vector<std::string>{"--security-opt=label=disable"});
  REQUIRE(q.ports.size() == 1);
  CHECK(q.ports[0].published == "8000");
  CHECK(q.ports[0].target == 8000);
  CHECK(q.git_root == r.dir.string());

  const Service& web = p->services.at("web");
  CHECK(web.image == "localhost/centos7-qpod:latest");
  CHECK(web.command == std::vector<std::string>{"python3", "-m", "http.server"});
  CHECK(web.qpod == QpodService{"binary", {"build/*.so"}});
  CHECK(web.ports.at(0).target == 80);
  const Service& zk = p->services.at("zk");
  CHECK(zk.image == "zookeeper:3.8");
  CHECK(zk.qpod == QpodService{"manual", {}});
  REQUIRE(zk.healthcheck);
  CHECK(zk.healthcheck->interval == std::chrono::seconds(5));
}

TEST_CASE("a YAML template works as a JSON one") {
  Repo r("image: img\nbinaries:\n  - name: make\nservices:\n  db: {image: pg}\n", "template.yaml");
  auto p = r.load("template.yaml");
  REQUIRE(p.ok());
  CHECK(p->qpod->binaries.at(0).name == "make");
  CHECK(p->services.at("db").qpod == QpodService{"auto", {}});
}

TEST_CASE("every service of an environment gets the work tree, the template mounts and env") {
  const std::string tmpl = R"({"image": "img", "env": {"CC": "gcc", "MODE": "env"},
    "mounts": [{"source": "/tmp"}, {"source": "cache", "target": "/cache", "readonly": true}],
    "services": {
      "web": {"command": ["httpd", "-h", "/qpod"]},
      "own": {"volumes": ["/srv:/qpod:ro"], "environment": {"MODE": "own"}, "start": "manual"}
    }})";
  Repo r(tmpl);
  auto p = r.load();
  REQUIRE(p.ok());
  const std::string root = r.dir.string();
  auto targets = [](const Service& s) {
    std::vector<std::string> out;
    for (const auto& m : s.volumes)
      out.push_back(m.type + " " + m.source + ":" + m.target + (m.read_only ? ":ro" : ""));
    return out;
  };
  const Service& web = p->services.at("web");
  CHECK(targets(web) == std::vector<std::string>{"bind " + root + ":" + root,
                                                 "bind " + root + ":/qpod", "bind /tmp:/tmp",
                                                 "bind " + root + "/cache:/cache:ro"});
  CHECK(web.environment.at("CC") == "gcc");
  CHECK(web.environment.at("MODE") == "env");
  // The service's own mount at /qpod and its own MODE win.
  const Service& own = p->services.at("own");
  CHECK(targets(own) == std::vector<std::string>{"bind /srv:/qpod:ro", "bind " + root + ":" + root,
                                                 "bind /tmp:/tmp",
                                                 "bind " + root + "/cache:/cache:ro"});
  CHECK(own.environment.at("MODE") == "own");
  CHECK(own.environment.at("CC") == "gcc");
  // `config` prints the file's own text: no volumes added to the project's tree.
  CHECK(p->node.find("services")->find("web")->find("volumes") == nullptr);

  // A changed template mount or env changes the services' hash: they are recreated.
  const std::string before = service_hash(web);
  {
    std::ofstream(r.file()) << R"({"image": "img", "env": {"CC": "clang", "MODE": "env"},
    "mounts": [{"source": "/tmp"}, {"source": "cache", "target": "/cache", "readonly": true}],
    "services": {"web": {"command": ["httpd", "-h", "/qpod"]}}})";
  }
  auto changed = r.load();
  REQUIRE(changed.ok());
  CHECK(service_hash(changed->services.at("web")) != before);

  // Without a git root (a template read from elsewhere) nothing is added.
  LoadOptions o;
  o.template_file = r.file();
  o.default_name = "x";
  o.process_env = Variables{{"HOME", "/home/me"}};
  auto bare = load_project(o);
  REQUIRE(bare.ok());
  CHECK(bare->services.at("web").volumes.empty());
  CHECK(bare->services.at("web").environment.empty());
}

TEST_CASE("template errors point into the template file, all at once, by its own key paths") {
  Repo r(R"({
  "image": "img",
  "binaries": [{"name": "make", "services": ["nope"]}, {"nam": "x"}],
  "mounts": [{"target": "/x"}],
  "bogus": 1,
  "services": {
    "web": {"start": "sometimes"}
  }
})");
  auto p = r.load();
  REQUIRE_FALSE(p.ok());
  const std::string f = r.file();
  CHECK(
      format(p.errors()) ==
      f + ":3:56: binaries[1]: missing required property \"name\"\n" +  //
          f +
          ":3:57: binaries[1]: additional property \"nam\" is not allowed (did you mean name?)\n" +
          f + ":4:14: mounts[0]: missing required property \"source\"\n" + f +
          ":5:3: additional property \"bogus\" is not allowed\n" + f +
          ":7:22: services.web.start: expected one of \"auto\", \"binary\" or "
          "\"manual\", got \"sometimes\"\n");
}

TEST_CASE("bind checks that binaries name services of the project") {
  Repo r(R"({"image": "img",
  "binaries": [{"name": "make", "services": ["db", "nope"]}, {"name": "make"}],
  "services": {"db": {}}})");
  auto p = r.load();
  REQUIRE_FALSE(p.ok());
  const std::string f = r.file();
  CHECK(format(p.errors()) ==
        f +
            ":2:52: binaries[0].services[1]: binary \"make\" needs service \"nope\", "
            "which is not a service of the project\n" +
            f + ":2:71: binaries[1].name: binary \"make\" is declared twice\n");
}

TEST_CASE("a Compose file may carry x-qpod directly, develop.watch binds") {
  fs::path dir = fs::temp_directory_path() / ("qpod-xqpod-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "compose.yaml") << R"(name: demo
services:
  api:
    image: api
    x-qpod: {start: manual, watch: [plugin/*.so]}
    develop:
      watch:
        - {action: sync, path: ./src, target: /app/src, ignore: [node_modules/]}
        - {action: rebuild, path: package.json}
        - action: sync+exec
          path: ./conf
          target: /etc/app
          exec: {command: "app reload --now", user: app, privileged: "true", environment: [MODE=dev, TOKEN]}
x-qpod:
  image: dev
  mounts: [{source: ./data}]
  env: [A=1]
  binaries: [{name: make, services: [api]}]
)";
  LoadOptions o;
  o.files = {(dir / "compose.yaml").string()};
  o.process_env = Variables{};
  auto p = load_project(o);
  fs::remove_all(dir);
  REQUIRE(p.ok());
  REQUIRE(p->qpod);
  CHECK(p->qpod->git_root.empty());
  CHECK(p->qpod->mounts.at(0).source == (dir / "data").string());
  CHECK(p->qpod->env == StringMap{{"A", "1"}});
  const Service& api = p->services.at("api");
  CHECK(api.qpod == QpodService{"manual", {"plugin/*.so"}});
  qpod::compose::ServiceHook reload;
  reload.command = {"app", "reload", "--now"};
  reload.user = "app";
  reload.privileged = true;
  reload.environment = {{"MODE", "dev"}, {"TOKEN", std::nullopt}};
  CHECK(api.develop_watch ==
        std::vector<WatchRule>{{"sync", (dir / "src").string(), "/app/src", {"node_modules/"}},
                               {"rebuild", (dir / "package.json").string(), "", {}},
                               {"sync+exec", (dir / "conf").string(), "/etc/app", {}, reload}});
}

TEST_CASE("develop.watch sync+exec without exec is an error at the rule") {
  fs::path dir = fs::temp_directory_path() / ("qpod-syncexec-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "compose.yaml") << R"(services:
  api:
    image: api
    develop:
      watch:
        - {action: sync+exec, path: ./conf, target: /etc/app}
)";
  LoadOptions o;
  o.files = {(dir / "compose.yaml").string()};
  o.process_env = Variables{};
  auto p = load_project(o);
  fs::remove_all(dir);
  REQUIRE_FALSE(p.ok());
  CHECK(format(p.errors()) == (dir / "compose.yaml").string() +
                                  ":6:11: services.api.develop.watch[0]: action sync+exec needs "
                                  "`exec` with a command to run\n");
}

TEST_CASE("a .json template must be JSON: a trailing comma or a comment is an error there") {
  Repo comma("{\n  \"image\": \"img\",\n  \"binaries\": [],\n}\n");
  auto p = comma.load();
  REQUIRE_FALSE(p.ok());
  CHECK(format(p.errors()) == comma.file() +
                                  ":4:1: not valid JSON: syntax error while parsing object key - "
                                  "unexpected '}'; expected string literal\n");
  // The same leniency in a .yaml template is YAML, and fine.
  Repo yaml("{image: img, binaries: [],}\n", "template.yaml");
  CHECK(yaml.load("template.yaml").ok());
}
