// Sessions: create one with its transcript; list them and read one back from PostgreSQL, its transcript from RocksDB.
#include <boost/json.hpp>
#include <set>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "commands/session_commands.hpp"
#include "common/hex.hpp"
#include "common/json_log.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::api {
namespace json = boost::json;

HttpResponse create_session(const RouteContext& ctx, const HttpRequest& request, const commands::Actor& actor) {
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
    auto text = required_string(transcript.value(), "text", TextKind::multiline);
    if (!text) return problem(text.error());
    input.transcript_format = std::move(format).value();
    input.transcript_text = std::move(text).value();
    if (const auto* clients = body->if_contains("clients"); clients && !clients->is_null()) {
        if (!clients->is_object()) return problem(invalid("invalid_field", "clients must map speaker names to client ids"));
        for (const auto& [speaker, client_id] : clients->as_object()) {
            if (auto bad = commands::check_text("clients (a speaker name)", speaker, TextKind::name)) return problem(*bad);
            if (!client_id.is_string() || !is_uuid(client_id.as_string()))
                return problem(invalid("invalid_field", "clients[\"" + std::string(speaker) + "\"] must be a client id (a UUID)"));
            input.speaker_clients.push_back({std::string(speaker), ClientId{std::string(client_id.as_string())}});
        }
    }
    auto coach_speaker = optional_string(body.value(), "coach_speaker", TextKind::name);
    if (!coach_speaker) return problem(coach_speaker.error());
    input.coach_speaker = coach_speaker.value().value_or("");
    auto context = ctx.command_context(request, &actor);
    if (!context) return problem(context.error());
    auto accepted = commands::create_session(ctx.deps.commands, actor, input, context.value());
    if (!accepted) return problem(accepted.error());
    auto session_id = accepted->id("session");
    log_info("session_created", {{"organization_id", actor.organization_id.value}, {"session_id", session_id},
                                 {"position", events::to_string(accepted->position)}});
    auto response = ctx.accepted_response(201, {{"id", session_id}}, accepted.value());
    response.headers["Location"] = "/v1/sessions/" + session_id;
    return response;
}

namespace {
// Minimum necessary: a client reads a session they took part in only as it concerns them. Of the participants they
// see the coach and themselves; of the transcript only what they said. Other clients of a group session stay out.
struct ClientView {
    std::string client_id;  // the client record of the client user; empty for every other role
    bool applies() const { return !client_id.empty(); }
    bool shows(const projections::ParticipantRow& p) const { return !applies() || p.is_coach || p.client_id == client_id; }
};

ClientView client_view(const RouteContext& ctx, const commands::Actor& actor) {
    if (actor.role != "client") return {};
    auto own = ctx.deps.write_model.committed_state(actor.user_id).client_id.value;
    return {own.empty() ? std::string("-") : own};  // a client user without a record sees no one's words
}

// The transcript document (format, text, segments) cut to the client's own segments, without the full text.
std::string own_segments(const std::string& document, const std::vector<projections::ParticipantRow>& participants, const ClientView& view) {
    std::set<std::string> speakers;
    for (const auto& p : participants)
        if (!p.is_coach && p.client_id == view.client_id) speakers.insert(p.name);
    auto doc = json::parse(document).as_object();
    json::array segments;
    if (const auto* all = doc.if_contains("segments"); all && all->is_array())
        for (const auto& segment : all->as_array())
            if (const auto* speaker = segment.as_object().if_contains("speaker"); speaker && speaker->is_string() && speakers.contains(std::string(speaker->as_string())))
                segments.push_back(segment);
    return json::serialize(json::object{{"format", doc.contains("format") ? doc.at("format") : json::value(nullptr)},
                                        {"segments", std::move(segments)},
                                        {"scope", "own_segments"}});
}
}  // namespace

HttpResponse get_session(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
    std::optional<projections::SessionRow> row;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { row = projections::find_session(connection, actor, SessionId{id}); });
    if (!row) return problem(not_found("session_not_found", "no session with this id"));
    json::array participants;
    std::vector<std::string> subjects;
    const auto view = client_view(ctx, actor);
    for (const auto& p : row->participants)
        if (view.shows(p)) {
            subjects.push_back(p.client_id);
            participants.push_back({{"name", p.name},
                                {"speaking_seconds", p.speaking_seconds},
                                {"word_count", p.word_count},
                                {"turn_count", p.turn_count},
                                {"role", p.is_coach ? "coach" : "client"},
                                {"client_id", null_if_empty(p.client_id)}});
        }
    json::object session{{"id", row->id},
                         {"status", row->status},
                         {"session_date", row->session_date},
                         {"session_type", row->session_type},
                         {"coach_id", row->coach_id},
                         {"version", row->version},
                         {"participants", std::move(participants)}};
    // Only a failed session says why: the answers for every other session stay as they were.
    if (row->status == "failed")
        session["failure"] = json::object{{"stage", row->failure_stage}, {"code", row->failure_code}, {"reason", row->failure_reason}};
    auto response = json_response(200, session);
    response.headers["ETag"] = "\"" + std::to_string(row->version) + "\"";
    response.audit_subjects = std::move(subjects);
    return response;
}

HttpResponse get_transcript(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor, const std::string& id) {
    if (auto waited = ctx.wait_for_position(target, ctx.deps.search_progress, {})) return *waited;
    if (auto waited = ctx.wait_for_position(target, ctx.deps.postgres_progress, ctx.deps.postgres_shared_offsets)) return *waited;
    if (!is_uuid(id)) return problem(not_found("session_not_found", "no session with this id"));
    // The document store knows organizations only; who within one may read a session is PostgreSQL's to say.
    std::optional<projections::SessionRow> row;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { row = projections::find_session(connection, actor, SessionId{id}); });
    if (!row) return problem(not_found("session_not_found", "no session with this id"));
    auto document = ctx.deps.transcripts.transcript_json(actor.organization_id, SessionId{id});
    if (!document) return problem(not_found("session_not_found", "no session with this id"));
    HttpResponse response;
    const auto view = client_view(ctx, actor);
    response.body = view.applies() ? own_segments(*document, row->participants, view) : std::move(*document);
    for (const auto& p : row->participants)
        if (view.shows(p)) response.audit_subjects.push_back(p.client_id);
    return response;
}

namespace {

constexpr std::size_t default_session_page = 20;
constexpr std::size_t max_session_page = 100;
const std::set<std::string> session_list_parameters{"coach_id", "client_id", "date_from", "date_to", "session_type", "status", "limit", "cursor",
                                                    "as_of", "position", "wait_ms"};

// The cursor: the last session of a page, (date, id), as hex. Opaque to clients.
std::string session_cursor(const projections::SessionListItem& last) { return to_hex(last.session_date + "|" + last.id); }

}  // namespace

// The sessions the caller may see, newest first, filtered and paged by a keyset cursor.
HttpResponse list_sessions(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    projections::SessionListFilter filter;
    auto value = [&](const char* key) {
        auto it = target.query.find(key);
        return it == target.query.end() ? std::string{} : it->second;
    };
    if (auto refused = unknown_parameter(target.query, session_list_parameters,
                                         "coach_id, client_id, date_from, date_to, session_type, status, limit, cursor, as_of, position, wait_ms"))
        return problem(*refused);
    filter.coach_id = value("coach_id");
    filter.client_id = value("client_id");
    for (const auto* id : {&filter.coach_id, &filter.client_id})
        if (!id->empty() && !is_uuid(*id)) return problem(invalid("invalid_filter", std::string(id == &filter.coach_id ? "coach_id" : "client_id") + " must be a UUID"));
    filter.date_from = value("date_from");
    filter.date_to = value("date_to");
    for (const auto* date : {&filter.date_from, &filter.date_to})
        if (!date->empty() && !commands::is_valid_iso_date(*date))
            return problem(invalid("invalid_date", std::string(date == &filter.date_from ? "date_from" : "date_to") + " must be a date YYYY-MM-DD"));
    if (!filter.date_from.empty() && !filter.date_to.empty() && filter.date_from > filter.date_to)
        return problem(invalid("invalid_date_range", "date_from must not be after date_to"));
    filter.session_type = value("session_type");
    if (!filter.session_type.empty() && !commands::is_valid_session_type(filter.session_type))
        return problem(invalid("invalid_session_type", "session_type must be one of individual, group_workshop, call_review"));
    filter.status = value("status");
    if (!filter.status.empty() && filter.status != "uploaded" && filter.status != "parsed" && filter.status != "analysed" && filter.status != "failed")
        return problem(invalid("invalid_filter", "status must be one of uploaded, parsed, analysed, failed"));
    filter.limit = default_session_page;
    if (target.query.contains("limit")) {
        auto limit = parse_decimal(value("limit"));
        if (!limit || *limit == 0 || *limit > max_session_page) return problem(invalid("invalid_limit", "limit must be a number from 1 to 100"));
        filter.limit = static_cast<std::size_t>(*limit);
    }
    if (target.query.contains("cursor")) {
        const auto decoded = from_hex(value("cursor"));
        const auto bar = decoded ? decoded->find('|') : std::string::npos;
        if (bar == std::string::npos || !commands::is_valid_iso_date(decoded->substr(0, bar)) || !is_uuid(decoded->substr(bar + 1)))
            return problem(invalid("invalid_cursor", "cursor must be the next_cursor of an earlier page"));
        filter.after_date = decoded->substr(0, bar);
        filter.after_id = decoded->substr(bar + 1);
    }
    ReadMoment moment;
    if (auto answered = ctx.read_moment(target, moment)) return *answered;
    const auto wanted = filter.limit;
    filter.limit = wanted + 1;  // one more says whether a next page exists
    std::vector<projections::SessionListItem> items;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) { items = projections::list_sessions(connection, actor, filter, moment.schema); });
    const bool more = items.size() > wanted;
    if (more) items.resize(wanted);
    const auto view = client_view(ctx, actor);
    json::array sessions;
    std::set<std::string> subjects;
    for (const auto& item : items) {
        json::array clients;
        for (const auto& client : item.client_ids)
            if (!view.applies() || client == view.client_id) {
                clients.emplace_back(client);
                subjects.insert(client);
            }
        sessions.push_back(json::object{{"id", item.id},
                                        {"status", item.status},
                                        {"session_date", item.session_date},
                                        {"session_type", item.session_type},
                                        {"coach_id", item.coach_id},
                                        {"version", item.version},
                                        {"client_ids", std::move(clients)}});
    }
    auto response = json_response(200, json::object{{"sessions", std::move(sessions)},
                                                    {"next_cursor", more ? json::value(session_cursor(items.back())) : json::value(nullptr)}});
    response.audit_subjects.assign(subjects.begin(), subjects.end());
    return response;
}

Routes session_routes() {
    return {
        {"POST", "/v1/sessions", [](const RouteCall& c) { return create_session(c.ctx, c.request, c.who()); }},
        audited("session.read", {"GET", "/v1/sessions", [](const RouteCall& c) { return list_sessions(c.ctx, c.target, c.who()); }}),
        audited("session.read", {"GET", "/v1/sessions/{id}", [](const RouteCall& c) { return get_session(c.ctx, c.target, c.who(), c.param(0)); }}),
        audited("transcript.read",
                {"GET", "/v1/sessions/{id}/transcript", [](const RouteCall& c) { return get_transcript(c.ctx, c.target, c.who(), c.param(0)); }}),
    };
}

}  // namespace debrief::api
