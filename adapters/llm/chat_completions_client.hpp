// A small synchronous HTTP/1.1 client for an OpenAI-compatible chat-completions endpoint: one POST per call on
// its own connection, with a deadline over the whole exchange. http:// and https:// (verified with the system's
// certificate authorities). Beast and Asio stay in the .cpp.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/result.hpp"

namespace debrief::adapters {

struct ChatCompletionsSettings {
    std::string base_url;  // e.g. http://127.0.0.1:8081/v1; requests go to {base_url}/chat/completions
    std::string api_key;   // sent as "Authorization: Bearer <key>" when not empty
    std::chrono::milliseconds timeout{20000};  // connect, send and read, together
    std::size_t max_response_bytes = 4 << 20;
};

struct HttpReply {
    int status = 0;
    std::string body;
};

class ChatCompletionsClient {
public:
    // invalid_config when the URL is not an absolute http:// or https:// URL.
    static Result<std::unique_ptr<ChatCompletionsClient>> create(ChatCompletionsSettings settings);
    ~ChatCompletionsClient();
    ChatCompletionsClient(const ChatCompletionsClient&) = delete;
    ChatCompletionsClient& operator=(const ChatCompletionsClient&) = delete;

    // Any HTTP status is a reply. Errors (kind unavailable): llm_connect_failed (resolve, connect, TLS, or the
    // connection broke), llm_timeout (no whole answer within the timeout). Safe to call from several threads.
    Result<HttpReply> post(const std::string& json_body) const;
    // The endpoint the requests go to, for logs.
    const std::string& endpoint() const;

private:
    struct Impl;
    explicit ChatCompletionsClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace debrief::adapters
