#include "compose/emit.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <type_traits>

namespace qpod::compose {
namespace {

bool needs_quotes(const Node& n) {
  if (n.scalar.empty()) return true;
  Node probe = Node::plain(n.scalar);
  if (probe.as_bool() || probe.as_double()) return true;
  const std::string& s = n.scalar;
  if (s == "~" || s == "null" || s == "Null" || s == "NULL") return true;
  // YAML 1.1 readers (PyYAML, older tools) take these for booleans or sexagesimal numbers.
  static const char* kOld[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                               "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (const char* o : kOld)
    if (s == o) return true;
  for (char c : s)
    if (c == ':' || c == '#' || c == '\n' || c == '\'' || c == '"' || c == '\\') return true;
  return s.front() == ' ' || s.back() == ' ';
}

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Kind::Null:
      out << YAML::Null;
      break;
    case Kind::Scalar:
      if (n.is_string() && needs_quotes(n))
        out << YAML::DoubleQuoted << n.scalar;
      else
        out << n.scalar;
      break;
    case Kind::Sequence:
      if (n.items.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      out << YAML::BeginSeq;
      for (const auto& item : n.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Kind::Mapping:
      if (n.items.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      out << YAML::BeginMap;
      for (std::size_t i = 0; i < n.keys.size(); ++i) {
        out << YAML::Key;
        if (needs_quotes(Node::string(n.keys[i].name)))
          out << YAML::DoubleQuoted << n.keys[i].name;
        else
          out << n.keys[i].name;
        out << YAML::Value;
        emit(out, n.items[i]);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::string to_yaml(const Node& n) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  out.SetNullFormat(YAML::LowerNull);  // docker compose config's `null`, not `~`
  emit(out, n);
  std::string s = out.c_str();
  s += '\n';
  return s;
}

namespace {

// One walk for both JSON types: !reset nodes are left out, scalars typed by the Node's own
// YAML 1.2 rules.
template <class J>
J json_of(const Node& n) {
  switch (n.kind) {
    case Kind::Null:
      return nullptr;
    case Kind::Scalar:
      if (n.is_string()) return n.scalar;
      if (auto b = n.as_bool()) return *b;
      if (auto i = n.as_int()) return *i;
      if (auto d = n.as_double()) return *d;
      return n.scalar;
    case Kind::Sequence: {
      J a = J::array();
      a.template get_ref<typename J::array_t&>().reserve(n.items.size());
      for (const auto& item : n.items)
        if (item.tag != "!reset") a.push_back(json_of<J>(item));
      return a;
    }
    case Kind::Mapping: {
      J o = J::object();
      for (std::size_t i = 0; i < n.keys.size(); ++i) {
        if (n.items[i].tag == "!reset") continue;
        if constexpr (std::is_same_v<J, nlohmann::ordered_json>) {
          // ordered_json's operator[] searches its vector: quadratic for a big mapping. A Node's
          // keys are unique, so they are appended.
          o.template get_ref<typename J::object_t&>().emplace_back(n.keys[i].name,
                                                                   json_of<J>(n.items[i]));
        } else {
          o[n.keys[i].name] = json_of<J>(n.items[i]);
        }
      }
      return o;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::ordered_json to_json(const Node& n) { return json_of<nlohmann::ordered_json>(n); }
nlohmann::json to_plain_json(const Node& n) { return json_of<nlohmann::json>(n); }

// Text that is not UTF-8 (a variable's value may be anything) is written with U+FFFD in its
// place: nlohmann's default is to throw.
std::string to_json_text(const Node& n, int indent) {
  return to_json(n).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Node from_json(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Node::null();
    case nlohmann::json::value_t::boolean:
      return Node::boolean(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return Node::plain(j.dump());
    case nlohmann::json::value_t::string:
      return Node::string(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      Node s = Node::sequence();
      for (const auto& item : j) s.push_back(from_json(item));
      return s;
    }
    case nlohmann::json::value_t::object: {
      Node m = Node::mapping();
      for (const auto& [k, v] : j.items()) m.set(k, from_json(v));
      return m;
    }
    default:
      return Node::null();
  }
}

}  // namespace qpod::compose
