// The command line's side of the admin routes: one plain HTTP request to a running Debrief (as ops/run serves it on
// loopback), answered whole or streamed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace debrief::app {

struct AdminServer {
    std::string host;
    std::string port;
};

// http://host:port, nullopt for anything else.
std::optional<AdminServer> parse_admin_url(const std::string& url);

struct Reply {
    int status = 0;
    std::string body;
};

// One request on a connection of its own; throws when the server cannot be reached.
Reply exchange(const AdminServer& server, const std::string& method, const std::string& target, const std::string& token,
               const std::string& body = {});

// A GET whose body is handed to on_piece as it arrives (an answer of any size, in bounded memory). Answers the status
// and, for an answer other than 200, its body. Throws when the connection fails or the body ends short.
Reply stream_get(const AdminServer& server, const std::string& target, const std::string& token,
                 const std::function<void(std::string_view)>& on_piece);

// "code: detail" of a problem+json answer, else the body as it is.
std::string detail_of(const Reply& reply);

}  // namespace debrief::app
