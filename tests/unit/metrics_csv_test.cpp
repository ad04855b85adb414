// The metrics file reader: RFC 4180 CSV, UTF-8, and every row error reported with the row a spreadsheet shows.
#include <doctest/doctest.h>

#include "commands/metrics/csv.hpp"
#include "commands/metrics/metrics_file.hpp"

using namespace debrief;
using namespace debrief::commands::metrics;

namespace {
const std::vector<Agent> agents{{ClientId{"c-maria"}, "Maria Lopez", "maria@example.com"},
                                {ClientId{"c-tom"}, "Tom Berg", "tom@example.com"},
                                {ClientId{"c-sam-1"}, "Sam Lee", ""},
                                {ClientId{"c-sam-2"}, "sam  lee", "sam2@example.com"}};

MetricsFileCheck read(std::string_view text) {
    auto check = read_metrics_file(text, agents);
    REQUIRE(check.ok());
    return check.value();
}
}  // namespace

TEST_CASE("CSV: quoted fields, doubled quotes, line breaks inside quotes, CRLF and a byte order mark") {
    auto doc = parse_csv("\xEF\xBB\xBFname,note\r\n\"Lopez, Maria\",\"said \"\"hi\"\"\"\r\n\"two\nlines\",x\n", 100);
    REQUIRE(doc.problems.empty());
    REQUIRE(doc.records.size() == 3);
    CHECK(doc.records[0].fields == std::vector<std::string>{"name", "note"});
    CHECK(doc.records[1].fields == std::vector<std::string>{"Lopez, Maria", "said \"hi\""});
    CHECK(doc.records[2].fields == std::vector<std::string>{"two\nlines", "x"});
    CHECK(doc.records[2].row == 3);  // a quoted line break does not start a spreadsheet row
}

TEST_CASE("CSV: malformed quoting and bad UTF-8 are problems of their row, and reading goes on") {
    auto doc = parse_csv("a,b\n\"open,x\"y\nok,1\nbad\xC3\x28,2\nfine,\"3\"\n", 100);
    REQUIRE(doc.problems.size() == 2);
    CHECK(doc.problems[0].row == 2);
    CHECK(doc.problems[1].row == 4);
    CHECK(doc.problems[1].message.find("UTF-8") != std::string::npos);
    REQUIRE(doc.records.size() == 3);
    CHECK(doc.records[2].fields == std::vector<std::string>{"fine", "3"});
    CHECK(is_valid_utf8("Zoë – 日本"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));        // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));    // surrogate
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));        // truncated
}

TEST_CASE("a valid wide file: agents by name, e-mail or id, percentages, empty cells, snake_case KPI names") {
    auto check = read("Agent,Date,CSAT,AHT (seconds),FCR Rate,Team\n"
                      "Maria Lopez,2026-11-20,4.6,312,87%,Blue\n"
                      "Tom Berg,2026-11-20,,298.5, 91 % ,Blue\n");
    REQUIRE(check.errors.empty());
    CHECK(check.file.metrics == std::vector<std::string>{"csat", "aht_seconds", "fcr_rate"});
    REQUIRE(check.file.rows.size() == 2);
    CHECK(check.file.rows[0] == events::MetricsRow{2, ClientId{"c-maria"}, "2026-11-20", {{"csat", 4.6}, {"aht_seconds", 312}, {"fcr_rate", 87}}});
    CHECK(check.file.rows[1] == events::MetricsRow{3, ClientId{"c-tom"}, "2026-11-20", {{"aht_seconds", 298.5}, {"fcr_rate", 91}}});

    auto by_email = read("email,date,csat\nMARIA@example.com,2026-11-20,4.5\ntom@example.com,2026-11-21,3.9\n");
    REQUIRE(by_email.errors.empty());
    CHECK(by_email.file.rows[0].client_id.value == "c-maria");
    auto by_id = read("client_id,date,quality_score\nc-tom,2026-11-20,88%\n");
    REQUIRE(by_id.errors.empty());
    CHECK(by_id.file.rows[0] == events::MetricsRow{2, ClientId{"c-tom"}, "2026-11-20", {{"quality_score", 88}}});
}

TEST_CASE("the second row of a name file resolves names case-insensitively; values keep their columns") {
    auto check = read("name,date,csat,aht_seconds\nmaria lopez,2026-11-20,4.6,\nTom Berg,2026-11-20,,300\n");
    REQUIRE(check.errors.empty());
    REQUIRE(check.file.rows.size() == 2);
    CHECK(check.file.rows[0].values == std::vector<events::MetricValue>{{"csat", 4.6}});
    CHECK(check.file.rows[1].values == std::vector<events::MetricValue>{{"aht_seconds", 300}});
    CHECK(check.file.rows[1].row == 3);
}

TEST_CASE("every row error is reported with its spreadsheet row and column, none is dropped") {
    auto check = read("name,date,csat,aht_seconds\n"
                      "Maria Lopez,2026-11-20,4.6,300\n"      // 2 fine
                      "Nobody,2026-11-20,4.0,300\n"           // 3 unknown agent
                      "Sam Lee,2026-11-20,4.0,300\n"          // 4 ambiguous agent
                      "Tom Berg,2026-02-30,4.0,300\n"         // 5 impossible date
                      "Tom Berg,20-11-2026,abc,300\n"         // 6 bad date and bad number
                      "Maria Lopez,2026-11-20,4.1,299\n"      // 7 duplicate of row 2
                      "Tom Berg,2026-11-21,,\n"               // 8 no value
                      "Tom Berg,2026-11-22,4\n"               // 9 wrong cell count
                      "\n"                                    // 10 blank: skipped
                      "Tom Berg,,4.2,1e3x\n");                // 11 missing date, bad number
    std::vector<std::pair<std::size_t, std::string>> seen;
    for (const auto& e : check.errors) seen.emplace_back(e.row, e.column);
    CHECK(seen == std::vector<std::pair<std::size_t, std::string>>{{3, "name"}, {4, "name"}, {5, "date"}, {6, "date"}, {6, "csat"},
                                                                   {7, ""}, {8, ""}, {9, ""}, {11, "date"}, {11, "aht_seconds"}});
    CHECK(check.errors[1].message.find("2 of your clients") != std::string::npos);
    CHECK(check.errors[5].message == "the same agent and date as row 2");
}

TEST_CASE("header problems are errors of row 1") {
    auto no_agent = read("date,csat\n2026-11-20,4\n");
    REQUIRE(no_agent.errors.size() == 1);
    CHECK(no_agent.errors[0].row == 1);
    CHECK(no_agent.errors[0].message.find("agent column") != std::string::npos);
    auto nothing = read("name,date,team\n");
    CHECK(nothing.errors.size() == 1);
    CHECK(read("").errors.size() == 1);
    CHECK(read("name,date,csat,CSAT\nMaria Lopez,2026-11-20,1,2\n").errors.at(0).message.find("twice") != std::string::npos);
    CHECK(read("name,date,csat\n").errors.at(0).message.find("no data rows") != std::string::npos);
}

TEST_CASE("limits: a file over 5 MiB is refused whole, and more than 20000 rows is an error") {
    auto big = read_metrics_file(std::string(max_metrics_file_bytes + 1, 'x'), agents);
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().code == "metrics_file_too_large");
    std::string many = "name,date,csat\n";
    for (std::size_t i = 0; i <= max_metrics_rows; ++i) many += "Maria Lopez,2026-11-20,4\n";
    auto check = read(many);
    REQUIRE_FALSE(check.errors.empty());
    CHECK(check.errors.back().message.find("at most 20000") != std::string::npos);
    CHECK(check.errors.back().row == max_metrics_rows + 2);
}

TEST_CASE("numbers and names") {
    CHECK(parse_number("87%") == 87);
    CHECK(parse_number(" -1.5 ") == -1.5);
    CHECK(parse_number("+3") == 3);
    CHECK_FALSE(parse_number("1,5"));
    CHECK_FALSE(parse_number("nan"));
    CHECK_FALSE(parse_number("%"));
    CHECK(snake_case("AHT (seconds)") == "aht_seconds");
    CHECK(snake_case("  First-Call Resolution % ") == "first_call_resolution");
}
