// Statements run as prepared statements, named after their text: PostgreSQL parses and plans each distinct statement
// once per connection instead of once per call (under load the parse and plan were a third of the database's CPU).
#pragma once

#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "projections/postgres/gathered_writes.hpp"

namespace debrief::projections {

// A name for a statement that is the same for the same text on every connection.
std::string prepared_name(const std::string& sql);

// Prepares sql on tx's connection the first time it is seen there, and returns its name.
inline std::string prepared_on(pqxx::transaction_base& tx, const std::string& sql) {
    auto name = prepared_name(sql);
    tx.conn().prepare(name, sql);  // libpqxx 6: registers the definition, a no-op when it is already there
    return name;
}

// Runs sql with params (as text) as a prepared statement, and nothing else first.
inline pqxx::result exec_prepared_sql_list(pqxx::transaction_base& tx, const std::string& sql, std::span<const std::string> params) {
    return tx.exec_prepared(prepared_on(tx, sql), pqxx::prepare::make_dynamic_params(params.begin(), params.end()));
}

// Runs sql with args on tx's connection, preparing it there the first time, after the writes gathered on tx (see
// GatheredWrites). A statement's text must not depend on the data (values go in as parameters), or every call would
// prepare a new statement.
template <typename... Args>
pqxx::result exec_prepared_sql(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
    if (auto* writes = GatheredWrites::active(tx)) writes->flush();
    return tx.exec_prepared(prepared_on(tx, sql), std::forward<Args>(args)...);
}

// A statement whose result nobody reads (an update, a delete, an upsert): gathered into the batch's script when a
// projector batch gathers writes on tx (GatheredWrites), run at once otherwise.
template <typename... Args>
void write_sql(pqxx::transaction_base& tx, const std::string& sql, const Args&... args) {
    if (auto* writes = GatheredWrites::active(tx)) {
        const std::vector<std::string> params{pqxx::to_string(args)...};
        writes->write(sql, params);
    } else {
        exec_prepared_sql(tx, sql, args...);
    }
}

// An insert whose result nobody reads: gathered with the ones like it when a projector batch gathers inserts on tx,
// run at once otherwise. sql is a single-row "insert ... values (...)", optionally "on conflict ... do nothing".
template <typename... Args>
void insert_row_sql(pqxx::transaction_base& tx, const std::string& sql, const Args&... args) {
    if (auto* writes = GatheredWrites::active(tx)) writes->add(sql, {pqxx::to_string(args)...});
    else exec_prepared_sql(tx, sql, args...);
}

}  // namespace debrief::projections
