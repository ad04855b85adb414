#include "api/live/live_session.hpp"

#include <algorithm>

#include "common/metrics.hpp"
#include "events/event.hpp"

namespace debrief::api::live {
namespace json = boost::json;

namespace {
constexpr int close_unauthorized = 4401;  // the token expired, was revoked, or never came
constexpr int close_policy = 1008;

std::optional<std::string> string_field(const json::object& message, std::string_view name) {
    const auto* value = message.if_contains(name);
    if (!value || !value->is_string()) return std::nullopt;
    return std::string(value->as_string());
}
}  // namespace

LiveSession::LiveSession(LiveServices services, LiveLimits limits, std::shared_ptr<WebSocketPeer> peer, std::optional<std::string> token)
    : services_(std::move(services)), limits_(limits), peer_(std::move(peer)), token_(std::move(token)) {}

void LiveSession::send(const json::object& message) { peer_->send(std::make_shared<const std::string>(json::serialize(message))); }

void LiveSession::error(std::string_view code, std::string_view detail, const json::value* id, std::string_view channel) {
    json::object message{{"type", "error"}, {"code", code}, {"detail", detail}};
    if (id) message["id"] = *id;
    if (!channel.empty()) message["channel"] = channel;
    send(message);
}

void LiveSession::deliver(const Text& message) { peer_->send(message); }

void LiveSession::on_open() {
    opened_ms_ = refilled_ms_ = strikes_since_ms_ = services_.now_ms();
    tokens_ = limits_.burst;
    if (token_) {
        if (!authenticate(*token_)) return;
    } else {
        peer_->wake_after(std::chrono::milliseconds(limits_.auth_timeout_ms));
    }
}

bool LiveSession::authenticate(const std::string& token) {
    auto auth = services_.authenticate(token);
    if (!auth) {
        error(auth.error().code, auth.error().message);
        if (!auth_) {
            closed_ = true;
            peer_->close(close_unauthorized, auth.error().code);
        }
        return false;
    }
    if (auth_ && (auth->actor.user_id != auth_->actor.user_id || auth->actor.organization_id != auth_->actor.organization_id)) {
        error("auth_user_mismatch", "a socket stays with the user who opened it; open another for another user");
        return false;
    }
    token_ = token;
    auth_ = std::move(auth).value();
    send({{"type", "authenticated"}, {"user_id", auth_->actor.user_id.value},
          {"expires_in", std::max<std::int64_t>(0, auth_->expires_at_s - services_.now_ms() / 1000)}});
    arm_deadline();
    return true;
}

void LiveSession::arm_deadline() {
    const auto left_ms = auth_->expires_at_s * 1000 - services_.now_ms();
    peer_->wake_after(std::chrono::milliseconds(std::max<std::int64_t>(left_ms, 0)));
}

void LiveSession::on_deadline() {
    if (closed_) return;
    const auto now = services_.now_ms();
    if (!auth_) {
        if (now - opened_ms_ < limits_.auth_timeout_ms) return peer_->wake_after(std::chrono::milliseconds(limits_.auth_timeout_ms - (now - opened_ms_)));
        closed_ = true;
        return peer_->close(close_unauthorized, "no access token came: send {\"type\":\"auth\",\"token\"} first, or open with a ticket");
    }
    if (now < auth_->expires_at_s * 1000) return arm_deadline();  // renewed meanwhile
    closed_ = true;
    peer_->close(close_unauthorized, "the access token expired: send a fresh one ({\"type\":\"auth\"}) before it does");
}

bool LiveSession::admit() {
    if (limits_.messages_per_second <= 0) return true;  // DEBRIEF_RATE_LIMITS=off
    const auto now = services_.now_ms();
    tokens_ = std::min(limits_.burst, tokens_ + static_cast<double>(now - refilled_ms_) * limits_.messages_per_second / 1000.0);
    refilled_ms_ = now;
    if (tokens_ >= 1) {
        tokens_ -= 1;
        return true;
    }
    static auto& refused = metrics::registry().counter("debrief_rate_limited_total", "requests and socket messages a rate limit refused",
                                                       {{"scope", "websocket"}});
    refused.add();
    if (now - strikes_since_ms_ > limits_.strike_window_ms) {
        strikes_ = 0;
        strikes_since_ms_ = now;
    }
    if (++strikes_ > limits_.strikes_before_close) {
        closed_ = true;
        peer_->close(close_policy, "too many messages");
    } else {
        error("rate_limited", "at most " + std::to_string(static_cast<int>(limits_.messages_per_second)) + " messages per second on one socket");
    }
    return false;
}

void LiveSession::on_message(std::string_view text) {
    if (closed_ || !admit()) return;
    boost::system::error_code ec;
    auto parsed = json::parse(text, ec);
    if (ec || !parsed.is_object()) return error("invalid_message", "a message is a JSON object with a \"type\"");
    const auto& message = parsed.as_object();
    const auto* id = message.if_contains("id");
    auto type = string_field(message, "type");
    if (!type) return error("invalid_message", "a message is a JSON object with a \"type\"", id);
    if (*type == "auth") {
        auto token = string_field(message, "token");
        if (!token) return error("invalid_message", "auth needs \"token\": an access token", id);
        authenticate(*token);
        return;
    }
    if (*type == "ping") return send({{"type", "pong"}});
    if (!auth_) return error("auth_required", "send {\"type\":\"auth\",\"token\"} first", id);
    if (*type == "subscribe") return subscribe(message);
    if (*type == "unsubscribe") return unsubscribe(message);
    if (*type == "refine") return refine(message);
    error("unknown_type", "type is one of auth, subscribe, unsubscribe, refine, ping", id);
}

void LiveSession::subscribe(const json::object& message) {
    const auto* id = message.if_contains("id");
    auto name = string_field(message, "channel").value_or("");
    auto channel = parse_channel(name);
    if (!channel)
        return error("invalid_channel", "channel is session:<id>, summary:<id>, action_items:<client id>, dashboard:coach or organization", id, name);
    std::optional<events::Position> since;
    if (const auto* value = message.if_contains("since_position"); value && !value->is_null()) {
        if (value->is_string()) since = events::parse_position(value->as_string());
        if (!since) return error("invalid_position", "since_position is a position as answers give it, \"partition:offset\"", id, name);
    }
    if (!subscriptions_.contains(name) && subscriptions_.size() >= limits_.max_subscriptions)
        return error("too_many_subscriptions", "at most " + std::to_string(limits_.max_subscriptions) + " channels on one socket", id, name);
    // Checked again at every subscribe: a token revoked, a user deactivated or demoted since the socket opened.
    auto auth = services_.authenticate(*token_);
    if (!auth) {
        closed_ = true;
        return peer_->close(close_unauthorized, auth.error().code);
    }
    auth_->actor = auth->actor;
    if (auto refused = services_.authorize(auth_->actor, *channel)) return error(refused->code, refused->message, id, name);
    const auto key = channel_key(auth_->actor.organization_id, *channel, auth_->actor.user_id);
    if (auto previous = subscriptions_.find(name); previous != subscriptions_.end() && previous->second != key)
        services_.hub.unsubscribe(*this, previous->second);
    subscriptions_[name] = key;
    Subscription subscription{key, auth_->actor.role != "client", since};
    services_.hub.subscribe(*this, subscription, [&](bool recovered) {
        json::object answer{{"type", "subscribed"}, {"channel", name}, {"recovered", recovered}};
        if (id) answer["id"] = *id;
        send(answer);
    });
}

void LiveSession::unsubscribe(const json::object& message) {
    auto name = string_field(message, "channel").value_or("");
    auto it = subscriptions_.find(name);
    if (it == subscriptions_.end()) return error("not_subscribed", "this socket does not follow that channel", message.if_contains("id"), name);
    services_.hub.unsubscribe(*this, it->second);
    subscriptions_.erase(it);
    send({{"type", "unsubscribed"}, {"channel", name}});
}

// The HTTP route, called as the socket's user: the same checks, content and error codes.
void LiveSession::refine(const json::object& message) {
    const json::value id = message.contains("id") ? message.at("id") : json::value(nullptr);
    if (calls_in_flight_ >= limits_.max_calls_in_flight)
        return error("too_many_calls", "at most " + std::to_string(limits_.max_calls_in_flight) + " refinements at once on one socket", &id);
    auto summary = string_field(message, "summary_id");
    auto text = string_field(message, "message");
    if (!summary || !text) return error("invalid_message", "refine needs \"summary_id\" and \"message\"", &id);
    HttpRequest request;
    request.method = "POST";
    request.target = "/v1/summaries/" + *summary + "/refine";
    request.headers["Authorization"] = "Bearer " + *token_;
    request.headers["Content-Type"] = "application/json";
    if (const auto* expected = message.if_contains("expected_version"); expected && !expected->is_null()) {
        if (!expected->is_int64() && !expected->is_uint64()) return error("invalid_message", "expected_version is the summary's version, a number", &id);
        request.headers["If-Match"] = "\"" + json::serialize(*expected) + "\"";
    }
    request.body = json::serialize(json::object{{"message", *text}});
    ++calls_in_flight_;
    peer_->call(std::move(request), [self = shared_from_this(), id](HttpResponse response) {
        --self->calls_in_flight_;
        json::object result{{"type", "result"}, {"id", id}, {"status", response.status}, {"ok", response.status < 300}};
        boost::system::error_code ec;
        auto body = json::parse(response.body, ec);
        if (ec) body = json::string(response.body);
        if (response.status >= 300 && body.is_object())
            for (auto field : {"code", "detail"})
                if (const auto* value = body.as_object().if_contains(field)) result[field] = *value;
        result["body"] = std::move(body);
        self->send(result);
    });
}

void LiveSession::on_closed() {
    closed_ = true;
    for (const auto& [name, key] : subscriptions_) services_.hub.unsubscribe(*this, key);
    subscriptions_.clear();
}

}  // namespace debrief::api::live
