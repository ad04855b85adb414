// A projector batch's writes, gathered on its transaction and sent many statements to a round trip. Inserts that
// repeat one statement become multi-row statements (one statement for a run of rows: under load the executor's
// start-up and a round trip per row were most of the database's CPU); they and the other statements whose result
// nobody reads (write_sql) go into a script of `execute` calls of their prepared statements, sent as one query (a
// round trip per statement kept the database waiting on the projector and the projector on the database). Statement
// order is kept: a statement that reads (exec_prepared_sql) sends the script first, so it sees every write before it.
// A failure surfaces when the script is sent, not at its statement: the callers then apply the batch one event at a
// time, without gathering.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "projections/postgres/pqxx_fwd.hpp"

namespace debrief::projections {

class GatheredWrites {
public:
    // Gathers the writes on tx made on this thread until it goes out of scope.
    explicit GatheredWrites(pqxx::transaction_base& tx);
    // Writes not yet flushed are dropped: the scope ends early only when the transaction is failing anyway.
    ~GatheredWrites();
    GatheredWrites(const GatheredWrites&) = delete;
    GatheredWrites& operator=(const GatheredWrites&) = delete;

    // The gathering scope of tx on this thread, or null.
    static GatheredWrites* active(const pqxx::transaction_base& tx);

    // One row of sql (a single-row "insert ... values (...)", at most "on conflict ... do nothing" after it), with its
    // parameters as text. A statement that cannot take more rows is gathered as write() gathers it.
    void add(const std::string& sql, std::vector<std::string> params);
    // A statement whose result nobody reads, with its parameters as text, after everything gathered before it.
    void write(const std::string& sql, std::span<const std::string> params);
    // Sends everything gathered so far. Throws what the database throws.
    void flush();

private:
    pqxx::transaction_base& tx_;
    GatheredWrites* outer_;
    std::string sql_;  // the run's statement, for one row
    std::size_t params_per_row_ = 0;
    std::vector<std::string> params_;  // row after row
    std::string script_;               // `execute` calls, in order, not sent yet
    std::size_t statements_ = 0;       // in script_

    void end_run();  // the run of rows goes into the script
    void send();     // the script goes to the database
};

// The statement for rows rows of a single-row insert whose "values (...)" tuple uses params_per_row parameters, or
// "" when it cannot take several rows (no tuple, parameters after it, or "do update", which a row may not meet twice).
std::string multi_row_sql(const std::string& sql, std::size_t rows, std::size_t params_per_row);

}  // namespace debrief::projections
