// A small, bounded pool of PostgreSQL connections for the query side; a broken connection is replaced on next use.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "projections/postgres/pqxx_fwd.hpp"

namespace debrief::projections {

class ConnectionPool {
public:
    ConnectionPool(std::string connection_string, std::size_t size);
    ~ConnectionPool();
    // Runs work on a pooled connection; waits for one to be free. Exceptions from work propagate.
    void with_connection(const std::function<void(pqxx::connection_base&)>& work);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::projections
