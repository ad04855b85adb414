// RFC 4180 CSV as records of fields: quoted fields, doubled quotes, CRLF or LF, an optional UTF-8 byte order mark.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/text_rules.hpp"

namespace debrief::commands::metrics {

struct CsvRecord {
    std::size_t row = 0;  // 1-based, as a spreadsheet numbers rows: a quoted line break does not start a new row
    std::vector<std::string> fields;
};

struct CsvProblem {
    std::size_t row = 0;
    std::string message;
};

struct CsvDocument {
    std::vector<CsvRecord> records;  // blank lines are skipped (their row numbers still count)
    std::vector<CsvProblem> problems;  // a record with a problem is left out of records
    bool truncated = false;            // max_records were read and more text follows
};

// Parses every record, never stops at the first problem. Fields are checked to be valid UTF-8. Stops after
// max_records records (the caller reports that limit).
CsvDocument parse_csv(std::string_view text, std::size_t max_records);

using commands::is_valid_utf8;

}  // namespace debrief::commands::metrics
