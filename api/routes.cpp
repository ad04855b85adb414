// /v1 routes: auth, sessions and probes. Each handler validates, calls the command or query side, shapes JSON.
#include "api/routes.hpp"

#include <boost/url.hpp>

#include "api/auth/password.hpp"
#include "api/problem.hpp"
#include "api/request_fingerprint.hpp"
#include "api/request_json.hpp"
#include "common/json_log.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/projection_progress.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::api {
namespace json = boost::json;

namespace {

constexpr std::size_t max_idempotency_key_length = 200;

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

struct ParsedTarget {
    std::vector<std::string> segments;
    std::map<std::string, std::string> query;
};

std::optional<ParsedTarget> parse_target(const std::string& target) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::nullopt;
    ParsedTarget parsed;
    for (auto segment : url->segments()) parsed.segments.push_back(segment);
    if (!parsed.segments.empty() && parsed.segments.back().empty()) parsed.segments.pop_back();  // tolerate a trailing slash
    for (auto param : url->params()) parsed.query[param.key] = param.value;
    return parsed;
}

}  // namespace

struct Api::Impl {
    ApiDependencies deps;
    ApiSettings settings;

    std::int64_t now_seconds() const { return deps.now_ms() / 1000; }

    Result<commands::Actor> authenticate(const HttpRequest& request) const {
        auto header = request.header("Authorization");
        if (!header) return Error{ErrorKind::unauthorized, "missing_token", "an Authorization: Bearer token is required"};
        constexpr std::string_view scheme = "Bearer ";
        if (header->size() <= scheme.size() || !std::equal(scheme.begin(), scheme.end(), header->begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return Error{ErrorKind::unauthorized, "invalid_token", "the Authorization header must be 'Bearer <token>'"};
        auto actor = deps.tokens.verify(header->substr(scheme.size()), TokenKind::access, now_seconds());
        if (!actor) return actor;
        // A token outlives nothing: its user must still exist in its organization.
        auto user = deps.write_model.user(actor->user_id);
        if (!user.exists || user.organization_id != actor->organization_id)
            return Error{ErrorKind::unauthorized, "invalid_token", "the token's user no longer exists"};
        return actor;
    }

    // fingerprinted_body: what a retry must repeat; the request body unless it holds a secret.
    Result<commands::CommandContext> command_context(const HttpRequest& request, const commands::Actor* actor,
                                                     std::optional<std::string_view> fingerprinted_body = std::nullopt) const {
        commands::CommandContext context;
        if (actor) context.cause.actor_id = actor->user_id;
        context.cause.correlation_id = request.header("X-Correlation-Id").value_or("");
        if (auto key = request.header("Idempotency-Key")) {
            if (key->empty() || key->size() > max_idempotency_key_length)
                return invalid("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 characters");
            context.cause.idempotency_key = *key;
            auto path = request.target.substr(0, request.target.find('?'));
            context.cause.request_hash = request_fingerprint(request.method, path, fingerprinted_body.value_or(request.body));
        }
        if (auto match = request.header("If-Match")) {
            std::string digits = *match;
            std::erase(digits, '"');
            try {
                std::size_t used = 0;
                context.expected_version = std::stoull(digits, &used);
                if (used != digits.size()) throw std::invalid_argument("trailing characters");
            } catch (const std::exception&) {
                return invalid("invalid_expected_version", "If-Match must be the aggregate version you expect, e.g. \"3\"");
            }
        }
        return context;
    }

    HttpResponse tokens_response(int status, const commands::Actor& actor, json::object extra) const {
        extra["access_token"] = deps.tokens.issue(actor, TokenKind::access, now_seconds());
        extra["refresh_token"] = deps.tokens.issue(actor, TokenKind::refresh, now_seconds());
        extra["token_type"] = "Bearer";
        extra["expires_in"] = deps.tokens.access_ttl_seconds();
        return json_response(status, extra);
    }

    static HttpResponse accepted_response(int status, json::object body, const commands::Accepted& accepted) {
        body["position"] = events::to_string(accepted.position);
        auto response = json_response(status, body);
        if (accepted.replayed) response.headers["Idempotent-Replayed"] = "true";
        return response;
    }

    HttpResponse sign_up(const HttpRequest& request) const {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        commands::SignUpInput input;
        for (auto [field, target] : {std::pair{"organization", &input.organization_name}, {"name", &input.name}, {"email", &input.email},
                                     {"password", &input.password}}) {
            auto value = required_string(body.value(), field);
            if (!value) return problem(value.error());
            *target = std::move(value).value();
        }
        auto without_password = body.value();
        without_password.erase("password");
        auto context = command_context(request, nullptr, json::serialize(without_password));
        if (!context) return problem(context.error());
        auto accepted = deps.commands.sign_up(input, context.value());
        if (!accepted) return problem(accepted.error());
        // A replayed sign-up hands out the admin's tokens: only to whoever knows the password it was made with.
        if (accepted->replayed) {
            auto credential = deps.write_model.credential_by_email(commands::normalize_email(input.email));
            if (!credential || !verify_password(input.password, credential->password_hash))
                return problem(invalid("idempotency_key_reused", "this Idempotency-Key was already used for a different request"));
        }
        commands::Actor actor{UserId{accepted->id("user")}, OrganizationId{accepted->id("organization")}, "admin"};
        log_info("signed_up", {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value}});
        auto response = tokens_response(201, actor, {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value},
                                                     {"position", events::to_string(accepted->position)}});
        if (accepted->replayed) response.headers["Idempotent-Replayed"] = "true";
        return response;
    }

    HttpResponse log_in(const HttpRequest& request) const {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto email = required_string(body.value(), "email");
        if (!email) return problem(email.error());
        auto password = required_string(body.value(), "password");
        if (!password) return problem(password.error());
        auto credential = deps.write_model.credential_by_email(commands::normalize_email(email.value()));
        // Unknown e-mail and wrong password look the same, and cost the same, to the caller.
        static const std::string decoy = hash_password("decoy password for timing");
        bool valid = verify_password(password.value(), credential ? credential->password_hash : decoy) && credential.has_value();
        if (!valid) return problem(401, "invalid_credentials", "Unauthorized", "the e-mail address or password is wrong");
        auto user = deps.write_model.user(credential->user_id);
        commands::Actor actor{credential->user_id, user.organization_id, user.role};
        return tokens_response(200, actor, {{"organization_id", actor.organization_id.value}, {"user_id", actor.user_id.value}});
    }

    HttpResponse refresh(const HttpRequest& request) const {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        auto token = required_string(body.value(), "refresh_token");
        if (!token) return problem(token.error());
        auto actor = deps.tokens.verify(token.value(), TokenKind::refresh, now_seconds());
        if (!actor) return problem(actor.error());
        auto user = deps.write_model.user(actor->user_id);
        if (!user.exists) return problem(401, "invalid_token", "Unauthorized", "the token's user no longer exists");
        actor->role = user.role;  // a role change takes effect at the next refresh
        return tokens_response(200, actor.value(), {});
    }

    HttpResponse create_session(const HttpRequest& request, const commands::Actor& actor) const {
        auto body = parse_json_object(request);
        if (!body) return problem(body.error());
        commands::CreateSessionInput input;
        auto id = optional_string(body.value(), "id");
        if (!id) return problem(id.error());
        if (id.value()) {
            if (!is_uuid(*id.value())) return problem(invalid("invalid_field", "id must be a UUID"));
            input.session_id = SessionId{*id.value()};
        }
        auto date = required_string(body.value(), "session_date");
        if (!date) return problem(date.error());
        input.session_date = std::move(date).value();
        auto type = optional_string(body.value(), "session_type");
        if (!type) return problem(type.error());
        input.session_type = type.value().value_or("individual");
        auto transcript = required_object(body.value(), "transcript");
        if (!transcript) return problem(transcript.error());
        auto format = required_string(transcript.value(), "format");
        if (!format) return problem(format.error());
        auto text = required_string(transcript.value(), "text");
        if (!text) return problem(text.error());
        input.transcript_format = std::move(format).value();
        input.transcript_text = std::move(text).value();
        auto context = command_context(request, &actor);
        if (!context) return problem(context.error());
        auto accepted = deps.commands.create_session(actor, input, context.value());
        if (!accepted) return problem(accepted.error());
        auto session_id = accepted->id("session");
        log_info("session_created", {{"organization_id", actor.organization_id.value}, {"session_id", session_id},
                                     {"position", events::to_string(accepted->position)}});
        auto response = accepted_response(201, {{"id", session_id}}, accepted.value());
        response.headers["Location"] = "/v1/sessions/" + session_id;
        return response;
    }

    // Waits, bounded, until the read model has applied ?position=; answers the problem to return if it did not.
    std::optional<HttpResponse> wait_for_position(const ParsedTarget& target, projections::ProjectionProgress& progress,
                                                  const projections::ProjectionProgress::SharedOffsets& shared) const {
        auto it = target.query.find("position");
        if (it == target.query.end()) return std::nullopt;
        auto position = events::parse_position(it->second);
        if (!position) return problem(400, "invalid_position", "", "position must be 'partition:offset' as returned by a command");
        auto wait = settings.default_read_wait;
        if (auto w = target.query.find("wait_ms"); w != target.query.end()) {
            try {
                wait = std::min(settings.max_read_wait, std::chrono::milliseconds(std::stoll(w->second)));
            } catch (const std::exception&) {
                return problem(400, "invalid_wait", "", "wait_ms must be a number of milliseconds");
            }
        }
        if (!progress.wait_for(*position, wait, shared))
            return problem(504, "position_not_reached", "", "the read model has not reached position " + it->second + " yet; retry");
        return std::nullopt;
    }

    HttpResponse get_session(const ParsedTarget& target, const commands::Actor& actor, const std::string& id) const {
        if (auto waited = wait_for_position(target, deps.postgres_progress, deps.postgres_shared_offsets)) return *waited;
        if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
        std::optional<projections::SessionRow> row;
        deps.database.with_connection([&](pqxx::connection_base& connection) { row = projections::find_session(connection, actor.organization_id, SessionId{id}); });
        if (!row) return problem(not_found("session_not_found", "no session with this id"));
        json::array participants;
        for (const auto& p : row->participants)
            participants.push_back({{"name", p.name}, {"speaking_seconds", p.speaking_seconds}, {"word_count", p.word_count}, {"turn_count", p.turn_count}});
        auto response = json_response(200, json::object{{"id", row->id},
                                                        {"status", row->status},
                                                        {"session_date", row->session_date},
                                                        {"session_type", row->session_type},
                                                        {"coach_id", row->coach_id},
                                                        {"version", row->version},
                                                        {"participants", std::move(participants)}});
        response.headers["ETag"] = "\"" + std::to_string(row->version) + "\"";
        return response;
    }

    HttpResponse get_transcript(const ParsedTarget& target, const commands::Actor& actor, const std::string& id) const {
        if (auto waited = wait_for_position(target, deps.search_progress, {})) return *waited;
        if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
        auto document = deps.transcripts.transcript_json(actor.organization_id, SessionId{id});
        if (!document) return problem(not_found("session_not_found", "no session with this id"));
        HttpResponse response;
        response.body = std::move(*document);
        return response;
    }

    HttpResponse route(const HttpRequest& request) const {
        auto target = parse_target(request.target);
        if (!target) return problem(400, "invalid_target", "", "the request target is not a valid URL path");
        const auto& s = target->segments;
        const auto& method = request.method;
        auto path_is = [&](std::initializer_list<std::string_view> expected) {
            return s.size() == expected.size() && std::equal(expected.begin(), expected.end(), s.begin());
        };
        auto method_not_allowed = [&](std::string_view allowed) {
            auto response = problem(405, "method_not_allowed", "", "use " + std::string(allowed) + " on this path");
            response.headers["Allow"] = std::string(allowed);
            return response;
        };

        if (path_is({"healthz"})) return json_response(200, json::object{{"status", "ok"}});
        if (path_is({"readyz"})) {
            if (deps.ready()) return json_response(200, json::object{{"status", "ready"}});
            return problem(503, "not_ready", "", "Kafka or PostgreSQL does not answer, or a projector is restarting");
        }
        if (s.empty() || s[0] != "v1") return problem(404, "route_not_found", "", "no such route");
        if (path_is({"v1", "signup"})) return method == "POST" ? sign_up(request) : method_not_allowed("POST");
        if (path_is({"v1", "auth", "login"})) return method == "POST" ? log_in(request) : method_not_allowed("POST");
        if (path_is({"v1", "auth", "refresh"})) return method == "POST" ? refresh(request) : method_not_allowed("POST");

        // Everything below needs a valid access token; the organization always comes from it.
        auto actor = authenticate(request);
        if (!actor) return problem(actor.error());
        if (path_is({"v1", "sessions"})) return method == "POST" ? create_session(request, actor.value()) : method_not_allowed("POST");
        if (s.size() == 3 && s[1] == "sessions") return method == "GET" ? get_session(*target, actor.value(), s[2]) : method_not_allowed("GET");
        if (s.size() == 4 && s[1] == "sessions" && s[3] == "transcript")
            return method == "GET" ? get_transcript(*target, actor.value(), s[2]) : method_not_allowed("GET");
        return problem(404, "route_not_found", "", "no such route");
    }
};

Api::Api(ApiDependencies dependencies, ApiSettings settings) : impl_(std::make_unique<Impl>(Impl{std::move(dependencies), settings})) {}
Api::~Api() = default;
const ApiSettings& Api::settings() const { return impl_->settings; }

HttpResponse Api::handle(const HttpRequest& request) const {
    try {
        return impl_->route(request);
    } catch (const std::exception& e) {
        log_error("request_failed", {{"method", request.method}, {"error", e.what()}});
        return problem(503, "unavailable", "", "a backing service failed; the request can be retried");
    }
}

}  // namespace debrief::api
