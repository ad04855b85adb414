// Dashboards: what a coach opens every morning, read from the PostgreSQL read model with the positions it reflects.
#include <boost/json.hpp>
#include <set>

#include "api/problem.hpp"
#include "api/request_json.hpp"
#include "api/routes/areas.hpp"
#include "api/routes/read_model_json.hpp"
#include "events/cloudevents.hpp"
#include "events/event.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/dashboard_queries.hpp"

namespace debrief::api {
namespace json = boost::json;
namespace {



// "partition:offset" of the last event applied in each partition: a ?position= at or before it is already reflected.
json::array positions_json(const std::map<int, std::int64_t>& next_offsets) {
    json::array out;
    for (const auto& [partition, next] : next_offsets)
        if (next > 0) out.emplace_back(events::to_string(events::Position{partition, next - 1}));
    return out;
}

json::value optional_number(const std::optional<double>& value) { return value ? json::value(*value) : json::value(nullptr); }

double rounded(double value, double unit) { return std::round(value / unit) * unit; }

// When the answer stands: "at", and "as_of" for a past moment's.
void moment_json(json::object& out, const ReadMoment& moment) {
    out["at"] = events::rfc3339_utc(moment.at_ms);
    out["as_of"] = moment.past() ? json::value(events::rfc3339_utc(moment.at_ms)) : json::value(nullptr);
}

json::object coach_dashboard_json(const projections::CoachDashboard& d, const ReadMoment& moment) {
    json::array queue;
    for (const auto& entry : projections::dashboard::priority_queue(d.clients)) {
        json::array reasons;
        for (const auto& reason : entry.reasons) reasons.emplace_back(reason);
        queue.push_back(json::object{{"client_id", entry.client_id}, {"client_name", entry.client_name}, {"score", entry.score},
                                     {"reasons", std::move(reasons)}});
    }
    json::array reviews;
    for (const auto& r : d.pending_reviews)
        reviews.push_back(json::object{{"summary_id", r.summary_id}, {"session_id", r.session_id}, {"client_id", r.client_id},
                                       {"client_name", r.client_name}, {"priority_score", r.priority_score}, {"drafted_at", r.drafted_at},
                                       {"age_hours", rounded(r.age_hours, 0.1)}});
    json::array overdue, due;
    for (const auto& item : d.overdue_action_items) overdue.push_back(item_json(item));
    for (const auto& item : d.due_this_week) due.push_back(item_json(item));
    json::array talk;
    for (const auto& t : d.stats.talk_share)
        talk.push_back(json::object{{"client_id", t.client_id}, {"client_name", t.client_name}, {"session_id", t.session_id},
                                    {"session_date", t.session_date}, {"share", rounded(t.share, 0.001)}});
    const auto& s = d.stats;
    json::object out{
        {"coach", json::object{{"id", d.coach_id}, {"name", d.coach_name}}},
        {"positions", positions_json(d.next_offsets)},
        {"priority_queue", std::move(queue)},
        {"pending_reviews", std::move(reviews)},
        {"overdue_action_items", std::move(overdue)},
        {"due_this_week", std::move(due)},
        {"stats", json::object{{"sessions_this_week", s.sessions_this_week},
                               {"sessions_last_week", s.sessions_last_week},
                               {"median_hours_to_approval", s.median_hours_to_approval ? json::value(rounded(*s.median_hours_to_approval, 0.1)) : json::value(nullptr)},
                               {"action_completion_rate_30d", optional_number(s.action_completion_rate_30d)},
                               {"talk_share", std::move(talk)}}}};
    moment_json(out, moment);
    return out;
}

json::object week_json(const projections::CoachWeek& w) {
    return json::object{{"week", w.week},
                        {"sessions", w.sessions},
                        {"median_hours_to_approval", w.median_hours_to_approval ? json::value(rounded(*w.median_hours_to_approval, 0.1)) : json::value(nullptr)},
                        {"action_completion_rate", optional_number(w.action_completion_rate)},
                        {"pending_reviews", w.pending_reviews}};
}

json::array weeks_json(const std::vector<projections::CoachWeek>& weeks) {
    json::array out;
    for (const auto& w : weeks) out.push_back(week_json(w));
    return out;
}

constexpr int default_lead_weeks = 12;
constexpr int max_lead_weeks = 104;

}  // namespace

// A coach's dashboard: their own, a lead's of themselves or a coach they lead, an admin's of any coach they name.
HttpResponse coach_dashboard(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = unknown_parameter(target.query, {"coach_id", "as_of", "position", "wait_ms"}, "coach_id, as_of, position, wait_ms")) return problem(*refused);
    if (actor.role == "client")
        return problem(403, "forbidden", "", "the coach dashboard is for coaches; a client reads GET /v1/dashboards/client");
    auto it = target.query.find("coach_id");
    std::string coach_id = it == target.query.end() ? std::string{} : it->second;
    if (coach_id.empty()) {
        if (actor.role == "admin") return problem(invalid("coach_id_required", "an admin names the coach: ?coach_id="));
        coach_id = actor.user_id.value;
    }
    if (!is_uuid(coach_id)) return problem(invalid("invalid_filter", "coach_id must be a UUID"));
    ReadMoment moment;
    if (auto answered = ctx.read_moment(target, moment)) return *answered;
    std::optional<projections::CoachDashboard> dashboard;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        dashboard = projections::coach_dashboard(connection, actor, coach_id, moment.at_ms, ctx.deps.events_topic, moment.schema);
    });
    if (!dashboard) return problem(not_found("coach_not_found", "no coach with this id that you may see"));
    auto response = json_response(200, coach_dashboard_json(*dashboard, moment));
    for (const auto& client : dashboard->clients) response.audit_subjects.push_back(client.client_id);
    return response;
}

// A lead's dashboard: per coach and ISO week, and the totals; a lead's own coaches, an admin's whole organization
// (or a lead's, named).
HttpResponse lead_dashboard(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = unknown_parameter(target.query, {"lead_id", "weeks", "as_of", "position", "wait_ms"}, "lead_id, weeks, as_of, position, wait_ms"))
        return problem(*refused);
    if (actor.role != "coach_lead" && actor.role != "admin")
        return problem(403, "forbidden", "", "the lead dashboard is for coach leads and admins; a coach reads GET /v1/dashboards/coach");
    auto it = target.query.find("lead_id");
    std::string lead_id = it == target.query.end() ? std::string{} : it->second;
    if (lead_id.empty() && actor.role == "coach_lead") lead_id = actor.user_id.value;
    if (!lead_id.empty() && !is_uuid(lead_id)) return problem(invalid("invalid_filter", "lead_id must be a UUID"));
    int weeks = default_lead_weeks;
    if (auto w = target.query.find("weeks"); w != target.query.end()) {
        auto parsed = parse_decimal(w->second);
        if (!parsed || *parsed == 0 || *parsed > static_cast<std::uint64_t>(max_lead_weeks))
            return problem(invalid("invalid_weeks", "weeks must be a number from 1 to " + std::to_string(max_lead_weeks)));
        weeks = static_cast<int>(*parsed);
    }
    ReadMoment moment;
    if (auto answered = ctx.read_moment(target, moment)) return *answered;
    std::optional<projections::LeadDashboard> dashboard;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        dashboard = projections::lead_dashboard(connection, actor, lead_id, weeks, moment.at_ms, ctx.deps.events_topic, moment.schema);
    });
    if (!dashboard) return problem(not_found("lead_not_found", "no coach lead with this id that you may see"));
    json::array coaches;
    int clients = 0, needing_attention = 0;
    for (const auto& coach : dashboard->coaches) {
        coaches.push_back(json::object{{"coach_id", coach.coach_id},
                                       {"name", coach.name},
                                       {"clients", coach.clients},
                                       {"clients_needing_attention", coach.clients_needing_attention},
                                       {"weeks", weeks_json(coach.weeks)}});
        clients += coach.clients;
        needing_attention += coach.clients_needing_attention;
    }
    int sessions = 0;
    for (const auto& w : dashboard->totals) sessions += w.sessions;
    json::object out{{"lead_id", lead_id.empty() ? json::value(nullptr) : json::value(lead_id)},
                                            {"positions", positions_json(dashboard->next_offsets)},
                                            {"attention_score", projections::dashboard::attention_score},
                                            {"coaches", std::move(coaches)},
                                            {"totals", json::object{{"coaches", dashboard->coaches.size()},
                                                                    {"clients", clients},
                                                                    {"clients_needing_attention", needing_attention},
                                                                    {"sessions", sessions},
                                                                    {"weeks", weeks_json(dashboard->totals)}}}};
    moment_json(out, moment);
    return json_response(200, out);
}

// A client's own view: their open action items, the next steps they own, their approved summaries.
HttpResponse client_dashboard(const RouteContext& ctx, const ParsedTarget& target, const commands::Actor& actor) {
    if (auto refused = unknown_parameter(target.query, {"as_of", "position", "wait_ms"}, "as_of, position, wait_ms")) return problem(*refused);
    if (actor.role != "client")
        return problem(403, "forbidden", "", "this is a client's own view; coaches read GET /v1/dashboards/coach");
    ReadMoment moment;
    if (auto answered = ctx.read_moment(target, moment)) return *answered;
    std::optional<projections::ClientDashboard> dashboard;
    ctx.deps.database.with_connection([&](pqxx::connection_base& connection) {
        dashboard = projections::client_dashboard(connection, actor, moment.at_ms, ctx.deps.events_topic, moment.schema);
    });
    if (!dashboard) return problem(not_found("client_not_found", "this login names no client record"));
    json::array open, next_steps, summaries;
    for (const auto& item : dashboard->open_action_items) {
        open.push_back(item_json(item));
        if (item.owner_id == item.client_id)  // theirs to do, not their coach's
            next_steps.push_back(json::object{{"action_item_id", item.id}, {"title", item.title}, {"due_date", null_if_empty(item.due_date)},
                                              {"overdue", item.overdue}});
    }
    for (const auto& s : dashboard->approved_summaries) {
        auto summary = summary_json(s.summary);
        summary.erase("priority_score");  // the coach's triage, not the client's reading
        summary["session_date"] = s.session_date;
        summary["approved_at"] = s.approved_at;
        summaries.push_back(std::move(summary));
    }
    json::object out{{"positions", positions_json(dashboard->next_offsets)},
                     {"open_action_items", std::move(open)},
                     {"next_steps", std::move(next_steps)},
                     {"approved_summaries", std::move(summaries)}};
    moment_json(out, moment);
    auto response = json_response(200, out);
    if (!dashboard->approved_summaries.empty() || !dashboard->open_action_items.empty()) response.audit_subjects.push_back(dashboard->client_id);
    return response;
}

Routes dashboard_routes() {
    return {
        audited("dashboard.read", {"GET", "/v1/dashboards/coach", [](const RouteCall& c) { return coach_dashboard(c.ctx, c.target, c.who()); }}),
        audited("dashboard.read", {"GET", "/v1/dashboards/lead", [](const RouteCall& c) { return lead_dashboard(c.ctx, c.target, c.who()); }}),
        audited("dashboard.read", {"GET", "/v1/dashboards/client", [](const RouteCall& c) { return client_dashboard(c.ctx, c.target, c.who()); }}),
    };
}

}  // namespace debrief::api
