// Maps libpqxx's exception hierarchy and SQLSTATE classes to a failure cause.
#include "projections/postgres/database_failure.hpp"

#include <pqxx/pqxx>

#include <new>
#include <string>

namespace debrief::projections {
namespace {

FailureCause from_sqlstate(const std::string& state) {
    auto class_is = [&](std::string_view prefix) { return state.compare(0, prefix.size(), prefix) == 0; };
    if (class_is("08") || class_is("40") || class_is("53") || class_is("57P") || state == "55P03" || state == "55006") return FailureCause::transient;
    if (class_is("22") || class_is("23")) return FailureCause::event;
    return FailureCause::database;
}

}  // namespace

FailureCause classify_current_exception() {
    try {
        throw;
    } catch (const pqxx::broken_connection&) {
        return FailureCause::transient;
    } catch (const pqxx::in_doubt_error&) {
        return FailureCause::transient;
    } catch (const pqxx::transaction_rollback&) {
        return FailureCause::transient;
    } catch (const pqxx::sql_error& e) {
        return from_sqlstate(e.sqlstate());
    } catch (const pqxx::conversion_error&) {
        return FailureCause::event;  // a value of the event does not fit its column
    } catch (const pqxx::usage_error&) {
        return FailureCause::database;
    } catch (const pqxx::internal_error&) {
        return FailureCause::database;
    } catch (const std::bad_alloc&) {
        return FailureCause::transient;
    } catch (const std::exception&) {
        return FailureCause::event;  // an applier's own check, a JSON or range error while reading the event
    } catch (...) {
        return FailureCause::database;
    }
}

std::string_view to_string(FailureCause cause) {
    switch (cause) {
        case FailureCause::transient: return "transient";
        case FailureCause::database: return "database";
        case FailureCause::event: return "event";
    }
    return "database";
}

}  // namespace debrief::projections
