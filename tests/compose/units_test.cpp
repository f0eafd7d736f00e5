#include "compose/units.h"

#include <catch2/catch.hpp>

using namespace qpod::compose;
using namespace std::chrono_literals;

TEST_CASE("parse_duration reads Go durations") {
  CHECK(parse_duration("0") == Duration(0));
  CHECK(parse_duration("10s") == Duration(10s));
  CHECK(parse_duration("1m30s") == Duration(90s));
  CHECK(parse_duration("1h2m3s") == Duration(1h + 2min + 3s));
  CHECK(parse_duration("1h5m30s20ms") == Duration(1h + 5min + 30s + 20ms));
  CHECK(parse_duration("1.5s") == Duration(1500ms));
  CHECK(parse_duration(".5m") == Duration(30s));
  CHECK(parse_duration("500ms") == Duration(500ms));
  CHECK(parse_duration("10us") == Duration(10us));
  CHECK(parse_duration("10\xC2\xB5s") == Duration(10us));
  CHECK(parse_duration("7ns") == Duration(7ns));
  CHECK(parse_duration("-2s") == Duration(-2s));
  CHECK(parse_duration("2562047h47m16.854775807s") == Duration(INT64_MAX));
}

TEST_CASE("parse_duration rejects what Go rejects") {
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("10"));  // a bare number other than 0 has no unit
  CHECK_FALSE(parse_duration("5x"));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("1m30"));
  CHECK_FALSE(parse_duration("."));
  CHECK_FALSE(parse_duration("1 s"));
  CHECK_FALSE(parse_duration("2562048h"));  // overflows int64 nanoseconds
}

TEST_CASE("format_duration prints like Go's Duration.String") {
  CHECK(format_duration(Duration(0)) == "0s");
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(1h) == "1h0m0s");
  CHECK(format_duration(2min) == "2m0s");
  CHECK(format_duration(30s) == "30s");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(500ms) == "500ms");
  CHECK(format_duration(1100us) == "1.1ms");
  CHECK(format_duration(250us) == "250\xC2\xB5s");
  CHECK(format_duration(12ns) == "12ns");
  CHECK(format_duration(1h + 2min + 3s + 4ms) == "1h2m3.004s");
  CHECK(format_duration(-90s) == "-1m30s");
  CHECK(format_duration(Duration(INT64_MAX)) == "2562047h47m16.854775807s");
  CHECK(format_duration(*parse_duration("1h5m30s20ms")) == "1h5m30.02s");
}

TEST_CASE("parse_bytes reads byte sizes with 1024-based units") {
  CHECK(parse_bytes("0") == 0);
  CHECK(parse_bytes("1024") == 1024);
  CHECK(parse_bytes("2b") == 2);
  CHECK(parse_bytes("512k") == 512 * 1024);
  CHECK(parse_bytes("1024kb") == 1024 * 1024);
  CHECK(parse_bytes("64m") == 64 * 1024 * 1024);
  CHECK(parse_bytes("300MB") == 300LL * 1024 * 1024);
  CHECK(parse_bytes("1g") == 1LL << 30);
  CHECK(parse_bytes("2GB") == 2LL << 30);
  CHECK(parse_bytes("1.5g") == 3LL << 29);
  CHECK_FALSE(parse_bytes(""));
  CHECK_FALSE(parse_bytes("m"));
  CHECK_FALSE(parse_bytes("12q"));
  CHECK_FALSE(parse_bytes("-1"));
  CHECK_FALSE(parse_bytes("1 g"));
  CHECK_FALSE(parse_bytes("1."));
  CHECK_FALSE(parse_bytes("99999999999g"));
}
