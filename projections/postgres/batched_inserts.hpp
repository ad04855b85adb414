// A projector batch's inserts, gathered while they repeat one statement and written as multi-row statements: one
// statement for a run of rows instead of one per row (under load the executor's start-up and a round trip per row
// were most of the database's CPU). Statement order is kept: any other statement on the transaction writes the run
// first (exec_prepared_sql does), so every statement sees the rows inserted before it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "projections/postgres/pqxx_fwd.hpp"

namespace debrief::projections {

class BatchedInserts {
public:
    // Gathers the inserts on tx made on this thread until it goes out of scope.
    explicit BatchedInserts(pqxx::transaction_base& tx);
    // Rows not yet flushed are dropped: the scope ends early only when the transaction is failing anyway.
    ~BatchedInserts();
    BatchedInserts(const BatchedInserts&) = delete;
    BatchedInserts& operator=(const BatchedInserts&) = delete;

    // The gathering scope of tx on this thread, or null.
    static BatchedInserts* active(const pqxx::transaction_base& tx);

    // One row of sql (a single-row "insert ... values (...)", at most "on conflict ... do nothing" after it), with its
    // parameters as text. A statement that cannot take more rows runs at once.
    void add(const std::string& sql, std::vector<std::string> params);
    // Writes the run gathered so far. Throws what the database throws.
    void flush();

private:
    pqxx::transaction_base& tx_;
    BatchedInserts* outer_;
    std::string sql_;  // the run's statement, for one row
    std::size_t params_per_row_ = 0;
    std::vector<std::string> params_;  // row after row
};

// The statement for rows rows of a single-row insert whose "values (...)" tuple uses params_per_row parameters, or
// "" when it cannot take several rows (no tuple, parameters after it, or "do update", which a row may not meet twice).
std::string multi_row_sql(const std::string& sql, std::size_t rows, std::size_t params_per_row);

}  // namespace debrief::projections
