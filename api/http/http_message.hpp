// HTTP requests and responses as plain values: routes are written and tested without sockets or Beast.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace debrief::api {

struct CaseInsensitiveLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
        for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
            auto x = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
            auto y = static_cast<char>(std::tolower(static_cast<unsigned char>(b[i])));
            if (x != y) return x < y;
        }
        return a.size() < b.size();
    }
};

using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query, as received
    HeaderMap headers;
    std::string body;
    std::string remote_address;

    std::optional<std::string> header(std::string_view name) const {
        auto it = headers.find(name);
        if (it == headers.end()) return std::nullopt;
        return it->second;
    }
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    HeaderMap headers;
    // A body made while it is sent (chunked transfer encoding), for answers of any size: each call gives the next
    // piece, nullopt at the end. It may block, so the server calls it on a worker thread; an exception from it cuts the
    // answer short (no last chunk: the client sees an incomplete body). When set, body is not sent.
    std::function<std::optional<std::string>()> stream;
    // Whose private material the answer holds (client or user ids), for the audit trail (api/audit.hpp); never sent.
    std::vector<std::string> audit_subjects;
    // The route pattern that answered ("/v1/sessions/{id}"), for the metrics' labels; empty when none did. Never sent.
    std::string route;
};

}  // namespace debrief::api
