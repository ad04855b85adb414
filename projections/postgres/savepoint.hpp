// Runs work under a savepoint and rolls back to it when work throws. By hand: libpqxx 6.4's subtransaction leaves the
// transaction aborted when a statement inside it fails.
#pragma once

#include <pqxx/pqxx>

namespace debrief::projections {

template <typename Work>
void under_savepoint(pqxx::transaction_base& tx, Work work) {
    tx.exec("savepoint debrief_event");
    try {
        work();
    } catch (...) {
        tx.exec("rollback to savepoint debrief_event");  // if the connection is gone, that failure is the one thrown
        throw;
    }
    tx.exec("release savepoint debrief_event");
}

}  // namespace debrief::projections
