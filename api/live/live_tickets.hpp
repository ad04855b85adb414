// Tickets for opening a WebSocket from a browser, which cannot set an Authorization header: POST /v1/ws/tickets
// trades the access token for a random ticket that opens one socket within 30 s, so no long-lived token ever
// travels in a URL (where proxies and logs keep it). Kept in memory: a ticket opens a socket on the instance that
// issued it.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace debrief::api::live {

class LiveTickets {
public:
    static constexpr std::int64_t ttl_ms = 30'000;
    static constexpr std::size_t max_outstanding = 100'000;  // beyond that the oldest expire first

    // A new ticket for the access token; expired ones are dropped first.
    std::string issue(const std::string& access_token, std::int64_t now_ms);
    // The access token of an unexpired ticket, once: a ticket opens a single socket.
    std::optional<std::string> redeem(const std::string& ticket, std::int64_t now_ms);

private:
    struct Entry {
        std::string access_token;
        std::int64_t expires_at_ms = 0;
    };
    void drop_expired(std::int64_t now_ms);
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> tickets_;
    std::deque<std::string> issued_;  // in order of issue, which is the order of expiry (one lifetime for all)
};

}  // namespace debrief::api::live
