// Bounded connection pool: lazily opened, returned after use unless the connection broke.
#include "projections/postgres/connection_pool.hpp"

#include <pqxx/pqxx>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace debrief::projections {

struct ConnectionPool::Impl {
    std::string connection_string;
    std::size_t capacity = 0;
    std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<pqxx::connection>> idle;
    std::size_t open = 0;
};

ConnectionPool::ConnectionPool(std::string connection_string, std::size_t size) : impl_(std::make_unique<Impl>()) {
    impl_->connection_string = std::move(connection_string);
    impl_->capacity = size;
}
ConnectionPool::~ConnectionPool() = default;

void ConnectionPool::with_connection(const std::function<void(pqxx::connection_base&)>& work) {
    auto& pool = *impl_;
    std::unique_ptr<pqxx::connection> connection;
    {
        std::unique_lock lock(pool.mutex);
        pool.available.wait(lock, [&] { return !pool.idle.empty() || pool.open < pool.capacity; });
        if (!pool.idle.empty()) {
            connection = std::move(pool.idle.back());
            pool.idle.pop_back();
        } else {
            ++pool.open;
        }
    }
    auto give_back = [&](bool healthy) {
        std::lock_guard lock(pool.mutex);
        if (healthy) {
            pool.idle.push_back(std::move(connection));
        } else {
            --pool.open;
        }
        pool.available.notify_one();
    };
    try {
        if (!connection || !connection->is_open()) connection = std::make_unique<pqxx::connection>(pool.connection_string);
        work(*connection);
    } catch (...) {
        give_back(connection && connection->is_open());
        throw;
    }
    give_back(true);
}

}  // namespace debrief::projections
