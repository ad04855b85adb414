// One area's part of a numbered schema migration. Each read-model area keeps its own (in its *_tables.cpp, next
// to the code that writes those tables); migrate() gathers them.
//
// The numbers are global and append-only: a database records only the highest number applied, and the numbers
// order every area's changes. A change takes the next number after the highest of any area and never edits one
// that has shipped. Several areas may share a number (the first migration created the tables of three); its parts
// run in one transaction, in table_areas order.
#pragma once

#include <span>
#include <string_view>

namespace debrief::projections {

struct MigrationStep {
    int version;
    std::string_view sql;
};

}  // namespace debrief::projections
