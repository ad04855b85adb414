// Statements run as prepared statements, named after their text: PostgreSQL parses and plans each distinct statement
// once per connection instead of once per call (under load the parse and plan were a third of the database's CPU).
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace debrief::projections {

// A name for a statement that is the same for the same text on every connection.
std::string prepared_name(const std::string& sql);

// Runs sql with args on tx's connection, preparing it there the first time. A statement's text must not depend on
// the data (values go in as parameters), or every call would prepare a new statement.
template <typename... Args>
pqxx::result exec_prepared_sql(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
    const auto name = prepared_name(sql);
    tx.conn().prepare(name, sql);  // libpqxx 6: registers the definition, a no-op when it is already there
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace debrief::projections
