#include "compose/variables.h"

#include <catch2/catch.hpp>

using namespace qpod;
using namespace qpod::compose;

namespace {

Variables parse_ok(std::string_view text, const Variables& lookup = {}) {
  auto r = parse_dotenv(text, ".env", lookup);
  INFO((r.ok() ? std::string() : format(r.errors())));
  REQUIRE(r.ok());
  return r.value();
}

std::string parse_error(std::string_view text, const Variables& lookup = {}) {
  auto r = parse_dotenv(text, ".env", lookup);
  REQUIRE_FALSE(r.ok());
  return format(r.errors());
}

}  // namespace

TEST_CASE("dotenv: keys, export, comments, blank lines and empty values") {
  auto env = parse_ok(R"(# a comment
A=1

export B=two words
  C = spaced  
D=
E=x # an inline comment
F=x# not a comment
G= # only a comment
H=#not a comment
I.dot-dash_9=ok
)");
  CHECK(env == Variables{{"A", "1"},
                         {"B", "two words"},
                         {"C", "spaced"},
                         {"D", ""},
                         {"E", "x"},
                         {"F", "x# not a comment"},
                         {"G", ""},
                         {"H", "#not a comment"},
                         {"I.dot-dash_9", "ok"}});
}

TEST_CASE("dotenv: single quotes are literal, double quotes take escapes") {
  auto env = parse_ok(R"(S='$A ${A} \n # kept'
Q='Let\'s go!'
D="tab\there\nnew \"quoted\" \\ \$A"
J="{\"hello\": \"json\"}"
U=some\tvalue
C="VAL # not a comment" # a comment
)",
                      {{"A", "a"}});
  CHECK(env.at("S") == R"($A ${A} \n # kept)");
  CHECK(env.at("Q") == "Let's go!");
  CHECK(env.at("D") == "tab\there\nnew \"quoted\" \\ $A");
  CHECK(env.at("J") == R"({"hello": "json"})");
  CHECK(env.at("U") == R"(some\tvalue)");
  CHECK(env.at("C") == "VAL # not a comment");
}

TEST_CASE("dotenv: CRLF line ends and a byte order mark") {
  auto env = parse_ok(
      "\xEF\xBB\xBF"
      "A=1\r\nB=\"two\"\r\nC='3' # c\r\n");
  CHECK(env == Variables{{"A", "1"}, {"B", "two"}, {"C", "3"}});
}

TEST_CASE("dotenv: double-quoted values may span lines") {
  auto env = parse_ok("CERT=\"line 1\nline 2\"\nNEXT=n\n");
  CHECK(env.at("CERT") == "line 1\nline 2");
  CHECK(env.at("NEXT") == "n");
}

TEST_CASE("dotenv: references see the lookup first, then earlier lines") {
  auto env = parse_ok(R"(BASE=/opt
DIR=${BASE}/app
HOME_DIR="$HOME/x"
RAW='$BASE'
OVER=${SHADOWED}
SHADOWED=file
AGAIN=${SHADOWED:-none}
DEF=${NOPE:-fallback}
)",
                      {{"HOME", "/home/me"}, {"SHADOWED", "process"}});
  CHECK(env.at("DIR") == "/opt/app");
  CHECK(env.at("HOME_DIR") == "/home/me/x");
  CHECK(env.at("RAW") == "$BASE");
  CHECK(env.at("OVER") == "process");
  CHECK(env.at("SHADOWED") == "file");  // the file's own value; discover lets the process win
  CHECK(env.at("AGAIN") == "process");
  CHECK(env.at("DEF") == "fallback");
}

TEST_CASE("dotenv: a key alone takes its value from the lookup, or is skipped") {
  auto env = parse_ok("FROM_LOOKUP\nNOT_SET\nexport ALSO # comment\n",
                      {{"FROM_LOOKUP", "yes"}, {"ALSO", "too"}});
  CHECK(env == Variables{{"FROM_LOOKUP", "yes"}, {"ALSO", "too"}});
}

TEST_CASE("dotenv: every bad line is reported with its position") {
  CHECK(parse_error("OK=1\n1FOO=x\n  BAD KEY=1\n=v\nA=${B:?need B}\nC='x' y\n") ==
        ".env:2:1: invalid variable name \"1FOO\": expected a letter or _, then letters, "
        "digits, _, . or -\n"
        ".env:3:7: BAD: expected \"=\" after the variable name\n"
        ".env:4:1: invalid variable name \"\": expected a letter or _, then letters, digits, _, "
        ". or -\n"
        ".env:5:3: A: required variable B is missing a value: need B\n"
        ".env:6:7: C: unexpected text after the closing quote: expected a # comment or the end "
        "of the line\n");
  CHECK(parse_error("A=1\nB=\"open\nC=3\n") ==
        ".env:2:3: B: unterminated quoted value: expected a closing \"\n");
  CHECK(parse_error("A='open") == ".env:1:3: A: unterminated quoted value: expected a closing '\n");
  CHECK(parse_error("A=${B\n") ==
        ".env:1:3: A: invalid interpolation \"${B\": expected a closing \"}\" (write $$ for a "
        "literal $)\n");
}

TEST_CASE("dotenv: a missing file is an error naming it") {
  auto r = read_dotenv("/nonexistent/qpod/.env", {});
  REQUIRE_FALSE(r.ok());
  CHECK(format(r.errors()) == "/nonexistent/qpod/.env: cannot read env file: does not exist\n");
}
