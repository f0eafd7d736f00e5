#include "env/shims.h"

#include <filesystem>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace qpod::env {
namespace {

Diagnostic shim_error(const std::string& path, std::string message) {
  return Diagnostic{path, 0, 0, "", std::move(message)};
}

// The bash and zsh hook: the same function, registered differently.
constexpr std::string_view kPosixFunction = R"(_qpod_hook() {
  local d="$PWD" shims=""
  while [ -n "$d" ]; do
    if [ -e "$d/.git" ]; then
      if [ -d "$d/.qpod/shims" ]; then shims="$d/.qpod/shims"; fi
      break
    fi
    d="${d%/*}"
  done
  if [ "$shims" != "${_QPOD_SHIMS:-}" ]; then
    if [ -n "${_QPOD_SHIMS:-}" ]; then
      PATH=":$PATH:"
      PATH="${PATH//:"$_QPOD_SHIMS":/:}"
      PATH="${PATH#:}"
      PATH="${PATH%:}"
    fi
    if [ -n "$shims" ]; then PATH="$shims:$PATH"; fi
    _QPOD_SHIMS="$shims"
  fi
}
)";

constexpr std::string_view kBashRegister = R"(case ";${PROMPT_COMMAND:-};" in
  *";_qpod_hook;"*) ;;
  *) PROMPT_COMMAND="_qpod_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
)";

constexpr std::string_view kZshRegister = R"(autoload -Uz add-zsh-hook
add-zsh-hook precmd _qpod_hook
)";

constexpr std::string_view kFish = R"(function _qpod_hook --on-variable PWD
    set -l d $PWD
    set -l shims ""
    while test -n "$d"
        if test -e "$d/.git"
            if test -d "$d/.qpod/shims"
                set shims "$d/.qpod/shims"
            end
            break
        end
        set d (string replace -r '/[^/]*$' '' -- $d)
    end
    if test "$shims" != "$_QPOD_SHIMS"
        if test -n "$_QPOD_SHIMS"
            if set -l i (contains -i -- $_QPOD_SHIMS $PATH)
                set -e PATH[$i]
            end
        end
        if test -n "$shims"
            set -gx PATH $shims $PATH
        end
        set -g _QPOD_SHIMS $shims
    end
end
set -q _QPOD_SHIMS; or set -g _QPOD_SHIMS ""
_qpod_hook
)";

}  // namespace

std::string default_shims_dir(const std::string& git_root) {
  return (fs::path(git_root) / ".qpod" / "shims").string();
}

Result<std::vector<std::string>> create_shims(const compose::QpodEnvironment& env,
                                              const std::string& dir, const std::string& qpod_exe) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return shim_error(dir, "cannot create the shims folder: " + ec.message());
  std::set<std::string> wanted;
  std::vector<std::string> names;
  for (const auto& b : env.binaries)
    if (wanted.insert(b.name).second) names.push_back(b.name);

  Diagnostics errors;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_symlink(ec) && wanted.count(name) == 0) fs::remove(entry.path(), ec);
  }
  for (const auto& name : names) {
    const fs::path link = fs::path(dir) / name;
    const auto status = fs::symlink_status(link, ec);
    if (fs::exists(status)) {
      if (!fs::is_symlink(status)) {
        errors.push_back(shim_error(link.string(), "not a symlink: remove it to make a shim here"));
        continue;
      }
      if (fs::read_symlink(link, ec) == qpod_exe) continue;
      fs::remove(link, ec);
    }
    fs::create_symlink(qpod_exe, link, ec);
    if (ec) errors.push_back(shim_error(link.string(), "cannot create the shim: " + ec.message()));
  }
  if (!errors.empty()) return errors;
  return names;
}

std::vector<std::string> shim_args(int argc, const char* const* argv) {
  if (argc < 1 || !argv[0]) return {};
  const std::string name = fs::path(argv[0]).filename().string();
  if (name.empty() || name == "qpod") return {};
  std::vector<std::string> out = {argv[0], "exec-env", "--", name};
  for (int i = 1; i < argc; ++i) out.emplace_back(argv[i]);
  return out;
}

std::optional<std::string> hook_script(std::string_view shell) {
  if (shell == "bash") return std::string(kPosixFunction) + std::string(kBashRegister);
  if (shell == "zsh") return std::string(kPosixFunction) + std::string(kZshRegister);
  if (shell == "fish") return std::string(kFish);
  return std::nullopt;
}

}  // namespace qpod::env
