#include "compose/schema.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/internal/frozen_value.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "base/suggest.h"
#include "compose/emit.h"

namespace qpod::schemas {
extern const std::string_view kComposeSpec;
extern const std::string_view kQpodDialect;
}  // namespace qpod::schemas

// How it works: valijson decides whether a file is valid (it is fast, and it is the reference).
// When it is not, an explainer walks the tree and the schema together to say, at each wrong node,
// what was expected: valijson's own messages name neither the allowed types nor the branch of a
// oneOf that was meant, and report only the first unknown key of a mapping. Any valijson error
// the explainer did not account for is still reported, with valijson's words.

namespace qpod::compose {
namespace {

using Json = nlohmann::json;

// ---- the embedded schemas, parsed once ------------------------------------------------------

// The embedded schemas as written: what the explainer reads, only after valijson found an error.
struct Documents {
  Json compose, dialect;
  std::optional<std::string> error;  // why they could not be parsed (a build bug)
};

// valijson's compiled form of one schema, built on first use: a process that only reads the
// dialect (every `qpod` command) does not pay for the Compose schema's compilation too.
struct Compiled {
  Json fast_compose, fast_dialect;  // the rules rewritten for valijson's speed (speed_up)
  valijson::Schema schema;
  std::optional<std::string> error;  // why the embedded schema could not load (a build bug)
};

// valijson 1.0 compiles a std::regex for every object it checks against `patternProperties`
// (a bracket expression such as [a-zA-Z0-9._-] takes std::regex tens of microseconds), and then
// runs it on every key: most of the time for a big file. So the copy valijson reads is rewritten
// into equivalent rules, with a keyword of our own, {"qpodKeys": {"names": [...], "pattern": R}}:
// every key of the mapping is one of the names or matches R. Its regex is compiled once, and
// "^x-" needs none.
// - {properties: P, patternProperties: {"^x-": {}}, additionalProperties: false}, the shape of
//   nearly every Compose mapping, becomes {properties: P, qpodKeys: {names: keys of P, pattern:
//   "^x-"}};
// - {patternProperties: {R: S}, additionalProperties: false} without `properties` becomes
//   {additionalProperties: S, qpodKeys: {names: [], pattern: R}}.
constexpr const char* kKeysKeyword = "qpodKeys";

// The key patterns of the Compose schema, matched by hand: std::regex costs about a microsecond a
// key, and a big file has tens of thousands of keys. Each is what std::regex_search (ECMAScript,
// not multiline: `.` is anything but \n and \r) answers for that pattern.
//
// The same goes for the two `pattern`s of string values (container_name, pull_policy), with one
// more reason: libstdc++'s std::regex recurses once a character, so a 30,000-character
// container_name overflowed the stack. A pattern no hand matcher knows (none in our schemas)
// goes to std::regex only for a text of at most kMaxRegexText bytes; a longer one does not match.
enum class KeyPattern {
  kOther,
  kExtension,
  kName,
  kLowerWord,
  kOneLine,
  kAnyChar,
  kContainerName,
  kPullPolicy
};
constexpr std::size_t kMaxRegexText = 1024;

KeyPattern key_pattern(const std::string& pattern) {
  if (pattern == "^x-") return KeyPattern::kExtension;
  if (pattern == "^[a-zA-Z0-9._-]+$") return KeyPattern::kName;
  if (pattern == "^[a-z]+$") return KeyPattern::kLowerWord;
  if (pattern == "^.+$") return KeyPattern::kOneLine;
  if (pattern == ".+") return KeyPattern::kAnyChar;
  if (pattern == "[a-zA-Z0-9][a-zA-Z0-9_.-]+") return KeyPattern::kContainerName;
  if (pattern ==
      "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+")
    return KeyPattern::kPullPolicy;
  return KeyPattern::kOther;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// regex_search of every_([0-9]+[wdhms])+: "every_", digits, one of wdhms (what follows the first
// repetition cannot change whether there is a match).
bool has_every(std::string_view s) {
  for (std::size_t at = s.find("every_"); at != std::string_view::npos;
       at = s.find("every_", at + 1)) {
    std::size_t i = at + 6;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i > at + 6 && i < s.size() &&
        std::string_view("wdhms").find(s[i]) != std::string_view::npos)
      return true;
  }
  return false;
}

bool matches(KeyPattern p, std::string_view key) {
  auto line_end = [](char c) { return c == '\n' || c == '\r'; };
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto alnum = [&](char c) { return lower(c) || (c >= 'A' && c <= 'Z') || is_digit(c); };
  auto name_char = [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; };
  switch (p) {
    case KeyPattern::kExtension:
      return key.rfind("x-", 0) == 0;
    case KeyPattern::kName:
      return !key.empty() && std::all_of(key.begin(), key.end(), name_char);
    case KeyPattern::kLowerWord:
      return !key.empty() && std::all_of(key.begin(), key.end(), lower);
    case KeyPattern::kOneLine:
      return !key.empty() && std::none_of(key.begin(), key.end(), line_end);
    case KeyPattern::kAnyChar:
      return !std::all_of(key.begin(), key.end(), line_end);
    case KeyPattern::kContainerName:  // unanchored: somewhere a letter or digit, then a name char
      for (std::size_t i = 0; i + 1 < key.size(); ++i)
        if (alnum(key[i]) && name_char(key[i + 1])) return true;
      return false;
    case KeyPattern::kPullPolicy:
      for (std::string_view w :
           {"always", "never", "build", "if_not_present", "missing", "refresh", "daily", "weekly"})
        if (key.find(w) != std::string_view::npos) return true;
      return has_every(key);
    case KeyPattern::kOther:
      break;
  }
  return false;
}

// What std::regex_search(text, std::regex(pattern)) answers, without std::regex for the
// patterns of our schemas. A pattern std::regex cannot read matches everything (valijson, which
// reads the same schemas, would have refused it).
bool pattern_search(const std::string& pattern, KeyPattern kind, std::string_view text) {
  if (kind != KeyPattern::kOther) return matches(kind, text);
  if (text.size() > kMaxRegexText) return false;
  thread_local std::map<std::string, std::optional<std::regex>> compiled;
  auto it = compiled.find(pattern);
  if (it == compiled.end()) {
    std::optional<std::regex> r;
    try {
      r.emplace(pattern);
    } catch (const std::regex_error&) {
    }
    it = compiled.emplace(pattern, std::move(r)).first;
  }
  return !it->second || std::regex_search(text.begin(), text.end(), *it->second);
}

bool pattern_search(const std::string& pattern, std::string_view text) {
  return pattern_search(pattern, key_pattern(pattern), text);
}

// {"qpodPattern": R} on a string: what `pattern` says, through pattern_search.
constexpr const char* kPatternKeyword = "qpodPattern";

class PatternRule : public valijson::constraints::PolyConstraint {
 public:
  explicit PatternRule(std::string pattern)
      : pattern_(std::move(pattern)), kind_(key_pattern(pattern_)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString() || pattern_search(pattern_, kind_, target.asString())) return true;
    if (results)
      results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
    return false;
  }

 private:
  Constraint* cloneInto(void* where) const override { return new (where) PatternRule(*this); }
  std::size_t sizeOf() const override { return sizeof(PatternRule); }

  std::string pattern_;
  KeyPattern kind_;  // known once, not for every value
};

class PatternRuleBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    return new PatternRule(value.asString());
  }
};

// {"qpodUnique": true}: what `uniqueItems: true` says, with hashes. valijson compares every pair
// of items, and copies strings to do so: an environment list of 20,000 variables took 8 s.
constexpr const char* kUniqueKeyword = "qpodUnique";

// Items equal under valijson's strict equalTo have equal hashes (objects: whatever their order).
std::size_t item_hash(const valijson::adapters::Adapter& a) {
  std::size_t h = 0;
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
  if (a.isString()) {
    mix(std::hash<std::string>{}(a.getString()));
  } else if (a.isBool()) {
    mix(a.getBool() ? 2 : 3);
  } else if (a.isNumber()) {
    mix(std::hash<double>{}(a.getNumber()));
  } else if (a.isArray()) {
    mix(5);
    a.applyToArray([&](const valijson::adapters::Adapter& item) {
      mix(item_hash(item));
      return true;
    });
  } else if (a.isObject()) {
    std::size_t members = 7;  // a sum: the order of members does not count
    a.applyToObject([&](const std::string& key, const valijson::adapters::Adapter& value) {
      members += std::hash<std::string>{}(key)*31 + item_hash(value);
      return true;
    });
    mix(members);
  }
  return h;
}

class UniqueRule : public valijson::constraints::PolyConstraint {
 public:
  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isArray() || target.getArraySize() < 2) return true;
    std::vector<std::size_t> hashes;
    target.applyToArray([&](const valijson::adapters::Adapter& item) {
      hashes.push_back(item_hash(item));
      return true;
    });
    std::vector<std::size_t> sorted = hashes;  // the usual case: no two hashes alike, done
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) return true;
    std::unordered_map<std::size_t, std::size_t> count;
    for (std::size_t h : hashes) ++count[h];
    // Items that share a hash are compared with frozen copies of the earlier ones.
    using Earlier =
        std::vector<std::pair<std::size_t, std::unique_ptr<valijson::adapters::FrozenValue>>>;
    std::unordered_map<std::size_t, Earlier> earlier;
    bool ok = true;
    std::size_t i = 0;
    target.applyToArray([&](const valijson::adapters::Adapter& item) {
      const std::size_t index = i++;
      if (count[hashes[index]] < 2) return true;
      Earlier& same = earlier[hashes[index]];
      for (const auto& [j, value] : same) {
        if (!value->equalTo(item, true)) continue;
        ok = false;
        if (results)
          results->pushError(context, "Elements at indexes #" + std::to_string(j) + " and #" +
                                          std::to_string(index) +
                                          " violate uniqueness constraint.");
        return results != nullptr;  // go on only to report every one
      }
      same.emplace_back(index, item.freeze());
      return true;
    });
    return ok;
  }

 private:
  Constraint* cloneInto(void* where) const override { return new (where) UniqueRule(*this); }
  std::size_t sizeOf() const override { return sizeof(UniqueRule); }
};

class UniqueRuleBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter&) const override {
    return new UniqueRule;
  }
};

class KeyRule : public valijson::constraints::PolyConstraint {
 public:
  KeyRule(std::unordered_set<std::string> names, std::string pattern)
      : names_(std::move(names)), pattern_(std::move(pattern)), kind_(key_pattern(pattern_)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isObject()) return true;
    bool ok = true;
    target.applyToObject([&](const std::string& key, const valijson::adapters::Adapter&) {
      if (allowed(key)) return true;
      ok = false;
      if (results) results->pushError(context, "Key '" + key + "' is not allowed.");
      return results != nullptr;  // go on only to report every one
    });
    return ok;
  }

 private:
  bool allowed(const std::string& key) const {
    return names_.count(key) > 0 || pattern_search(pattern_, kind_, key);
  }
  Constraint* cloneInto(void* where) const override { return new (where) KeyRule(*this); }
  std::size_t sizeOf() const override { return sizeof(KeyRule); }

  std::unordered_set<std::string> names_;
  std::string pattern_;
  KeyPattern kind_;  // known once, not for every key
};

class KeyRuleBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    std::unordered_set<std::string> names;
    std::string pattern;
    value.applyToObject([&](const std::string& key, const valijson::adapters::Adapter& v) {
      if (key == "pattern") pattern = v.asString();
      if (key == "names")
        v.applyToArray([&](const valijson::adapters::Adapter& name) {
          names.insert(name.asString());
          return true;
        });
      return true;
    });
    return new KeyRule(std::move(names), pattern);
  }
};

void speed_up(Json& s) {
  if (!s.is_object()) return;
  for (const char* key : {"properties", "patternProperties", "definitions", "dependencies"})
    if (auto it = s.find(key); it != s.end() && it->is_object())
      for (auto& [name, sub] : it->items()) speed_up(sub);
  for (const char* key : {"additionalProperties", "items", "additionalItems", "not", "if", "then",
                          "else", "propertyNames", "contains", "allOf", "anyOf", "oneOf"}) {
    auto it = s.find(key);
    if (it == s.end()) continue;
    if (it->is_array())
      for (auto& sub : *it) speed_up(sub);
    else
      speed_up(*it);
  }
  if (auto u = s.find("uniqueItems"); u != s.end() && *u == Json(true)) {
    s.erase(u);
    s[kUniqueKeyword] = true;
  }
  if (auto p = s.find("pattern"); p != s.end() && p->is_string()) {
    Json pattern = *p;
    s.erase(p);
    s[kPatternKeyword] = std::move(pattern);
  }
  auto patterns = s.find("patternProperties");
  auto additional = s.find("additionalProperties");
  auto props = s.find("properties");
  if (patterns == s.end() || !patterns->is_object() || patterns->size() != 1) return;
  if (additional == s.end() || *additional != Json(false)) return;
  const std::string pattern = patterns->begin().key();
  Json names = Json::array();
  if (props != s.end()) {
    if (!props->is_object() || pattern != "^x-" || !patterns->begin()->empty()) return;
    for (const auto& [name, sub] : props->items()) names.push_back(name);
    s.erase("additionalProperties");
  } else {
    s["additionalProperties"] = patterns->begin().value();
  }
  s.erase("patternProperties");
  s[kKeysKeyword] = Json{{"names", std::move(names)}, {"pattern", pattern}};
}

bool names_compose_spec(std::string_view uri) {
  return uri.find("compose-spec.json") != std::string_view::npos ||
         uri.find("compose_spec.json") != std::string_view::npos;
}

std::unique_ptr<Compiled> compile(Schema which) {
  auto c = std::make_unique<Compiled>();
  try {
    using Adapter = valijson::adapters::NlohmannJsonAdapter;
    valijson::SchemaParser parser;
    parser.addConstraintBuilder(kKeysKeyword, new KeyRuleBuilder);  // the parser deletes it
    parser.addConstraintBuilder(kPatternKeyword, new PatternRuleBuilder);
    parser.addConstraintBuilder(kUniqueKeyword, new UniqueRuleBuilder);
    c->fast_compose = Json::parse(schemas::kComposeSpec);
    speed_up(c->fast_compose);
    if (which == Schema::kCompose) {
      parser.populateSchema(Adapter(c->fast_compose), c->schema);
    } else {
      c->fast_dialect = Json::parse(schemas::kQpodDialect);
      speed_up(c->fast_dialect);
      // The dialect refers to compose-spec.json; that document is the embedded one.
      const Json* compose = &c->fast_compose;
      auto fetch = [compose](const std::string& uri) -> const Json* {
        return names_compose_spec(uri) ? compose : nullptr;
      };
      auto free_doc = [](const Json*) {};  // the documents belong to Compiled
      parser.populateSchema(Adapter(c->fast_dialect), c->schema, fetch, free_doc);
    }
  } catch (const std::exception& e) {
    c->error = e.what();
  }
  return c;
}

const Compiled& compiled(Schema which) {
  if (which == Schema::kCompose) {
    static const std::unique_ptr<Compiled> compose = compile(Schema::kCompose);
    return *compose;
  }
  static const std::unique_ptr<Compiled> dialect = compile(Schema::kQpodDialect);
  return *dialect;
}

const Documents& documents() {
  static const Documents d = [] {
    Documents out;
    try {
      out.compose = Json::parse(schemas::kComposeSpec);
      out.dialect = Json::parse(schemas::kQpodDialect);
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }();
  return d;
}

// ---- words ----------------------------------------------------------------------------------

std::string type_phrase(std::string_view t) {
  if (t == "string") return "a string";
  if (t == "number") return "a number";
  if (t == "integer") return "an integer";
  if (t == "boolean") return "a boolean";
  if (t == "null") return "null";
  if (t == "array") return "a list";
  if (t == "object") return "a mapping";
  return std::string(t);
}

// "a", "a or b", "a, b or c"
std::string join_or(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

// The value as the user wrote it, for "got ...": strings quoted, numbers and booleans bare.
// A long value is cut after 80 bytes (at a character's start), as its start is enough to find it.
std::string got(const Node& n) {
  std::string text = n.scalar;
  if (constexpr std::size_t kShown = 80; text.size() > kShown) {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "... (" + std::to_string(n.scalar.size()) + " bytes)";
  }
  if (n.is_string()) return "\"" + text + "\"";
  if (n.is_scalar()) return text;
  return describe(n);
}

bool has_type(const Node& n, std::string_view t) {
  switch (n.kind) {
    case Kind::Null:
      return t == "null";
    case Kind::Sequence:
      return t == "array";
    case Kind::Mapping:
      return t == "object";
    case Kind::Scalar:
      if (n.is_string()) return t == "string";
      if (n.as_bool()) return t == "boolean";
      if (t == "number") return true;
      return t == "integer" && n.as_int().has_value();
  }
  return false;
}

bool is_reset(const Node& n) { return n.tag == "!reset"; }

// The tree as the JSON valijson reads (its adapter takes nlohmann::json, not ordered_json).
Json instance_of(const Node& n) { return to_plain_json(n); }

// ---- the explainer --------------------------------------------------------------------------

struct Problem {
  Mark mark;
  std::string path;
  std::string message;
};
using Problems = std::vector<Problem>;

// A schema and the document it lives in (for "#/..." references).
struct Where {
  const Json* schema;
  const Json* doc;
};

class Explainer {
 public:
  // `flagged`: the paths valijson found errors at or under; the explainer looks nowhere else,
  // so one mistake in a big file costs little.
  Explainer(const Documents& s, std::set<std::string> flagged)
      : s_(s), flagged_(std::move(flagged)) {}

  void check(const Node& n, Where w, const std::string& path, Problems& out) {
    if (prune_ && !flagged(path)) return;
    if (++depth_ > 64) {  // a schema that refers to itself without end; valijson has the last word
      --depth_;
      return;
    }
    check_schema(n, w, path, out);
    --depth_;
  }

 private:
  void check_schema(const Node& n, Where w, const std::string& path, Problems& out) {
    const Json& s = *w.schema;
    if (s.is_boolean()) {
      if (!s.get<bool>()) out.push_back({n.mark, path, "is not allowed here"});
      return;
    }
    if (!s.is_object()) return;
    if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
      if (auto target = resolve(ref->get<std::string>(), w)) check(n, *target, path, out);
      return;  // draft-07: keywords beside $ref are ignored
    }
    if (auto t = s.find("type"); t != s.end() && !type_ok(n, *t)) {
      out.push_back({n.mark, path, "expected " + join_or(type_names(*t)) + ", got " + describe(n)});
      return;
    }
    if (auto e = s.find("enum"); e != s.end() && e->is_array()) {
      const Json v = to_value(n);
      if (std::find(e->begin(), e->end(), v) == e->end()) {
        std::vector<std::string> allowed;
        for (const auto& a : *e) allowed.push_back(a.dump());
        out.push_back({n.mark, path, "expected one of " + join_or(allowed) + ", got " + got(n)});
        return;
      }
    }
    if (auto c = s.find("const"); c != s.end() && to_value(n) != *c) {
      out.push_back({n.mark, path, "expected " + c->dump() + ", got " + got(n)});
      return;
    }
    if (auto all = s.find("allOf"); all != s.end() && all->is_array())
      for (const auto& sub : *all) check(n, {&sub, w.doc}, path, out);
    if (auto one = s.find("oneOf"); one != s.end() && one->is_array())
      check_branches(n, *one, w, path, true, out);
    if (auto any = s.find("anyOf"); any != s.end() && any->is_array())
      check_branches(n, *any, w, path, false, out);
    if (n.is_mapping()) check_mapping(n, w, path, out);
    if (n.is_sequence()) check_sequence(n, w, path, out);
    if (n.is_scalar()) check_scalar(n, s, path, out);
  }

  // oneOf / anyOf: only the branches that take this kind of value are candidates; of those, the
  // one with the fewest problems is the form the user meant, and only its problems are told.
  void check_branches(const Node& n, const Json& branches, Where w, const std::string& path,
                      bool exactly_one, Problems& out) {
    std::vector<std::string> types;
    std::optional<Problems> best;
    int passed = 0;
    // valijson keeps no errors from the branches of a oneOf that passed: a branch must be looked
    // at whole, or a wrong one could seem to pass.
    const bool pruning = prune_;
    prune_ = false;
    for (const auto& b : branches) {
      Where bw{&b, w.doc};
      if (!accepts_type(n, bw, 0)) {
        collect_types(bw, types, 0);
        continue;
      }
      Problems p;
      check(n, bw, path, p);
      if (p.empty()) ++passed;
      if (!best || p.size() < best->size()) best = std::move(p);
    }
    prune_ = pruning;
    if (passed == 1 || (passed > 1 && !exactly_one)) return;
    if (passed > 1) {
      out.push_back({n.mark, path, "matches more than one of the allowed forms"});
      return;
    }
    if (best) {
      for (auto& p : *best) out.push_back(std::move(p));
      return;
    }
    if (std::find(types.begin(), types.end(), "number") != types.end())
      types.erase(std::remove(types.begin(), types.end(), "integer"), types.end());
    std::vector<std::string> words;
    for (const auto& t : types) words.push_back(type_phrase(t));
    if (words.empty())
      out.push_back({n.mark, path, "matches none of the allowed forms"});
    else
      out.push_back({n.mark, path, "expected " + join_or(words) + ", got " + describe(n)});
  }

  void check_mapping(const Node& n, Where w, const std::string& path, Problems& out) {
    const Json& s = *w.schema;
    const Json* props = member(s, "properties");
    const Json* patterns = member(s, "patternProperties");
    const Json* additional = member(s, "additionalProperties");
    for (std::size_t i = 0; i < n.keys.size(); ++i) {
      const Node& v = n.items[i];
      if (is_reset(v)) continue;
      const std::string& name = n.keys[i].name;
      const std::string sub = child_path(path, name);
      bool matched = false;
      if (props && props->is_object()) {
        if (auto p = props->find(name); p != props->end()) {
          matched = true;
          check(v, {&*p, w.doc}, sub, out);
        }
      }
      if (patterns && patterns->is_object()) {
        for (const auto& [pattern, p] : patterns->items()) {
          if (!search(pattern, name)) continue;
          matched = true;
          check(v, {&p, w.doc}, sub, out);
        }
      }
      if (matched || !additional) continue;
      if (additional->is_boolean() && !additional->get<bool>())
        out.push_back({n.keys[i].mark, path, unknown_key(name, patterns) + near_key(name, props)});
      else
        check(v, {additional, w.doc}, sub, out);
    }
    if (const Json* required = member(s, "required"); required && required->is_array()) {
      for (const auto& r : *required) {
        if (!r.is_string()) continue;
        const Node* v = n.find(r.get<std::string>());
        if (!v || is_reset(*v))
          out.push_back({n.mark, path, "missing required property " + r.dump()});
      }
    }
    if (const Json* min = member(s, "minProperties"); min && min->is_number_unsigned()) {
      if (count(n) < min->get<std::size_t>())
        out.push_back({n.mark, path, "expected at least " + min->dump() + " entries"});
    }
  }

  // " (did you mean image?)" for a misspelled key the schema names.
  static std::string near_key(const std::string& name, const Json* props) {
    if (!props || !props->is_object()) return "";
    std::vector<std::string> keys;
    for (auto it = props->begin(); it != props->end(); ++it) keys.push_back(it.key());
    return did_you_mean(name, keys);
  }

  static std::string unknown_key(const std::string& name, const Json* patterns) {
    if (patterns && patterns->is_object()) {
      for (const auto& [pattern, p] : patterns->items()) {
        if (pattern == "^x-") continue;
        if (pattern == "^[a-zA-Z0-9._-]+$")
          return "\"" + name + "\" is not a valid name: use only letters, digits, '.', '_' and '-'";
        return "\"" + name + "\" is not a valid name: it must match " + pattern;
      }
    }
    return "additional property \"" + name + "\" is not allowed";
  }

  void check_sequence(const Node& n, Where w, const std::string& path, Problems& out) {
    const Json& s = *w.schema;
    if (const Json* items = member(s, "items");
        items && (items->is_object() || items->is_boolean())) {
      for (std::size_t i = 0; i < n.items.size(); ++i)
        if (!is_reset(n.items[i])) check(n.items[i], {items, w.doc}, index_path(path, i), out);
    }
    if (const Json* unique = member(s, "uniqueItems");
        unique && unique->is_boolean() && unique->get<bool>()) {
      std::map<Json, std::size_t> seen;  // value → first index (not a scan: n log n)
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (is_reset(n.items[i])) continue;
        auto [it, fresh] = seen.try_emplace(to_value(n.items[i]), i);
        if (!fresh)
          out.push_back({n.items[i].mark, index_path(path, i),
                         "duplicate item (same as [" + std::to_string(it->second) +
                             "]): items must be unique"});
      }
    }
    if (const Json* min = member(s, "minItems"); min && min->is_number_unsigned()) {
      if (count(n) < min->get<std::size_t>())
        out.push_back({n.mark, path, "expected at least " + min->dump() + " items"});
    }
    if (const Json* max = member(s, "maxItems"); max && max->is_number_unsigned()) {
      if (count(n) > max->get<std::size_t>())
        out.push_back({n.mark, path, "expected at most " + max->dump() + " items"});
    }
  }

  void check_scalar(const Node& n, const Json& s, const std::string& path, Problems& out) {
    if (n.is_string()) {
      if (const Json* p = member(s, "pattern");
          p && p->is_string() && !search(p->get<std::string>(), n.scalar))
        out.push_back({n.mark, path,
                       "expected a string matching " + p->get<std::string>() + ", got " + got(n)});
      if (const Json* min = member(s, "minLength");
          min && min->is_number_unsigned() && n.scalar.size() < min->get<std::size_t>())
        out.push_back(
            {n.mark, path, "expected at least " + min->dump() + " characters, got " + got(n)});
      return;
    }
    auto v = n.as_double();
    if (!v || n.as_bool()) return;
    auto bound = [&](const char* key, const char* words, auto fails) {
      if (const Json* b = member(s, key); b && b->is_number() && fails(*v, b->get<double>()))
        out.push_back(
            {n.mark, path,
             std::string("expected a number ") + words + b->dump() + ", got " + n.scalar});
    };
    bound("minimum", ">= ", [](double x, double b) { return x < b; });
    bound("maximum", "<= ", [](double x, double b) { return x > b; });
    bound("exclusiveMinimum", "> ", [](double x, double b) { return x <= b; });
    bound("exclusiveMaximum", "< ", [](double x, double b) { return x >= b; });
  }

  // Whether the value's kind is one the schema takes (its `type`, through $ref and branches).
  bool accepts_type(const Node& n, Where w, int depth) {
    if (depth > 16 || !w.schema->is_object()) return true;
    const Json& s = *w.schema;
    if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
      auto target = resolve(ref->get<std::string>(), w);
      return !target || accepts_type(n, *target, depth + 1);
    }
    if (auto t = s.find("type"); t != s.end() && !type_ok(n, *t)) return false;
    for (const char* key : {"oneOf", "anyOf"}) {
      if (auto b = s.find(key); b != s.end() && b->is_array()) {
        bool any = false;
        for (const auto& sub : *b) any = any || accepts_type(n, {&sub, w.doc}, depth + 1);
        if (!any) return false;
      }
    }
    if (auto all = s.find("allOf"); all != s.end() && all->is_array())
      for (const auto& sub : *all)
        if (!accepts_type(n, {&sub, w.doc}, depth + 1)) return false;
    return true;
  }

  // The JSON types a schema takes, in the order the schema names them.
  void collect_types(Where w, std::vector<std::string>& out, int depth) {
    if (depth > 16 || !w.schema->is_object()) return;
    const Json& s = *w.schema;
    auto add = [&](const std::string& t) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    };
    if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) {
      if (auto target = resolve(ref->get<std::string>(), w)) collect_types(*target, out, depth + 1);
      return;
    }
    if (auto t = s.find("type"); t != s.end()) {
      for (const auto& name : raw_types(*t)) add(name);
      return;
    }
    for (const char* key : {"oneOf", "anyOf"})
      if (auto b = s.find(key); b != s.end() && b->is_array())
        for (const auto& sub : *b) collect_types({&sub, w.doc}, out, depth + 1);
  }

  static std::vector<std::string> raw_types(const Json& t) {
    std::vector<std::string> names;
    if (t.is_string()) names.push_back(t.get<std::string>());
    if (t.is_array())
      for (const auto& x : t)
        if (x.is_string()) names.push_back(x.get<std::string>());
    return names;
  }

  static std::vector<std::string> type_names(const Json& t) {
    std::vector<std::string> words;
    for (const auto& name : raw_types(t)) words.push_back(type_phrase(name));
    return words;
  }

  static bool type_ok(const Node& n, const Json& t) {
    for (const auto& name : raw_types(t))
      if (has_type(n, name)) return true;
    return raw_types(t).empty();
  }

  // "#/definitions/x", "compose-spec.json", "compose-spec.json#/definitions/x"
  std::optional<Where> resolve(const std::string& ref, Where from) const {
    const auto hash = ref.find('#');
    const std::string doc_part = ref.substr(0, hash);
    const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
    const Json* doc = from.doc;
    if (!doc_part.empty()) {
      if (names_compose_spec(doc_part))
        doc = &s_.compose;
      else if (doc_part.find("qpod.schema.json") != std::string::npos)
        doc = &s_.dialect;
      else
        return std::nullopt;
    }
    try {
      const Json& target = pointer.empty() ? *doc : doc->at(Json::json_pointer(pointer));
      return Where{&target, doc};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  static bool search(const std::string& pattern, const std::string& text) {
    return pattern_search(pattern, text);
  }

  // Whether valijson found an error at `path` or under it.
  bool flagged(const std::string& path) const {
    if (path.empty()) return true;
    for (auto it = flagged_.lower_bound(path);
         it != flagged_.end() && it->compare(0, path.size(), path) == 0; ++it) {
      if (it->size() == path.size() || (*it)[path.size()] == '.' || (*it)[path.size()] == '[')
        return true;
    }
    return false;
  }

  static const Json* member(const Json& s, const char* key) {
    auto it = s.find(key);
    return it == s.end() ? nullptr : &*it;
  }

  static std::size_t count(const Node& n) {
    return static_cast<std::size_t>(
        std::count_if(n.items.begin(), n.items.end(), [](const Node& i) { return !is_reset(i); }));
  }

  static Json to_value(const Node& n) { return instance_of(n); }

  const Documents& s_;
  std::set<std::string> flagged_;
  bool prune_ = true;
  int depth_ = 0;
};

// ---- valijson's errors ----------------------------------------------------------------------

// Errors that only say "something below failed": their leaves say what.
bool is_cascade(const std::string& d) {
  static const char* kPrefixes[] = {
      "Failed to validate against schema associated with",
      "Failed to validate item #",
      "Failed to validate against any child schemas",
      "Failed to validate against exactly one child schema",
      "Failed to validate against child schema #",
      "Failed to validate against additional properties schema",
      "Failed to validate against any schemas allowed by anyOf",
      "Failed to validate against additional items schema",
      "Failed to validate against dependent schema",
  };
  for (const char* p : kPrefixes)
    if (d.rfind(p, 0) == 0) return true;
  return false;
}

// A valijson context ("<root>", "[services]", "[web]", "[ports]", "[0]") to the node it names and
// qpod's key path. JSON array indexes skip !reset items, which to_json leaves out.
std::pair<const Node*, std::string> locate(const Node& root, const std::vector<std::string>& ctx) {
  const Node* n = &root;
  std::string path;
  for (std::size_t i = 1; i < ctx.size(); ++i) {
    const std::string& c = ctx[i];
    if (c.size() < 2 || c.front() != '[' || c.back() != ']') break;
    const std::string key = c.substr(1, c.size() - 2);
    if (n->is_mapping()) {
      const Node* next = n->find(key);
      if (!next) break;
      path = child_path(path, key);
      n = next;
    } else if (n->is_sequence()) {
      std::size_t want = 0;
      try {
        want = std::stoul(key);
      } catch (const std::exception&) {
        break;
      }
      const Node* next = nullptr;
      std::size_t seen = 0;
      for (std::size_t j = 0; j < n->items.size() && !next; ++j) {
        if (is_reset(n->items[j])) continue;
        if (seen++ == want) {
          next = &n->items[j];
          path = index_path(path, j);
        }
      }
      if (!next) break;
      n = next;
    } else {
      break;
    }
  }
  return {n, path};
}

// Whether one path is the other or lies under it.
bool related(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  if (shorter.empty()) return true;
  if (longer.compare(0, shorter.size(), shorter) != 0) return false;
  return longer.size() == shorter.size() || longer[shorter.size()] == '.' ||
         longer[shorter.size()] == '[';
}

std::string plain_words(std::string d) {
  if (d == "Value type not permitted by 'type' constraint.")
    return "has a type that is not allowed";
  if (!d.empty() && d.back() == '.') d.pop_back();
  return "does not match the schema: " + d;
}

}  // namespace

Diagnostics validate_schema(const Node& root, Schema which) {
  const Compiled& c = compiled(which);
  if (c.error)
    return {
        error_at(root, "", "internal error: the embedded JSON Schema does not load: " + *c.error)};
  const bool dialect = which == Schema::kQpodDialect;
  const valijson::Schema& schema = c.schema;

  valijson::ValidationResults results;
  try {
    const Json instance = instance_of(root);
    const valijson::adapters::NlohmannJsonAdapter adapter(instance);
    thread_local valijson::Validator validator;  // keeps compiled patterns between calls
    // Without a results object valijson stops at the first error and builds no messages: the
    // fast path for the usual, valid file. Only an invalid one is validated again for details.
    if (validator.validate(schema, adapter, nullptr)) return {};
    validator.validate(schema, adapter, &results);
  } catch (const std::exception& e) {
    return {error_at(root, "", std::string("schema validation failed: ") + e.what())};
  }

  std::vector<std::pair<const Node*, std::string>> where;  // of each valijson error
  std::set<std::string> flagged;
  for (const auto& e : results) {
    where.push_back(locate(root, e.context));
    flagged.insert(where.back().second);
  }
  const Documents& s = documents();
  if (s.error)
    return {
        error_at(root, "", "internal error: the embedded JSON Schema does not load: " + *s.error)};
  Problems problems;
  const Json* doc = dialect ? &s.dialect : &s.compose;
  Explainer(s, std::move(flagged)).check(root, {doc, doc}, "", problems);
  std::size_t i = 0;
  for (const auto& e : results) {
    const Node* node = where[i].first;  // no structured binding: clang 14 cannot capture one
    const std::string& path = where[i++].second;
    if (is_cascade(e.description)) continue;
    const bool told = std::any_of(problems.begin(), problems.end(),
                                  [&](const Problem& p) { return related(p.path, path); });
    if (!told) problems.push_back({node->mark, path, plain_words(e.description)});
  }
  if (problems.empty()) problems.push_back({root.mark, "", "does not match the schema"});

  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.mark.line, a.mark.col) < std::tie(b.mark.line, b.mark.col);
  });
  Diagnostics out;
  // A node reached twice (through an alias or a merge key) is told once, at its first path.
  std::set<std::tuple<std::string, int, int, std::string>> seen_at;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto& p : problems) {
    const std::string file = p.mark.file ? *p.mark.file : "";
    if (p.mark.line > 0 && !seen_at.emplace(file, p.mark.line, p.mark.col, p.message).second)
      continue;
    if (!seen.emplace(p.path, p.message).second) continue;
    out.push_back(error_at(p.mark, std::move(p.path), std::move(p.message)));
  }
  return out;
}

}  // namespace qpod::compose
