// The dashboards' reads of the PostgreSQL read model: every figure a coach's dashboard shows, read in one snapshot
// together with the projector's offsets, so the answer can say which positions it reflects.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "projections/dashboard/client_priority.hpp"
#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/pqxx_fwd.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::projections {

struct PendingReview {
    std::string summary_id;
    std::string session_id;
    std::string client_id;
    std::string client_name;
    double priority_score = 0;
    std::string drafted_at;  // RFC 3339
    double age_hours = 0;    // from the draft to the dashboard's time
};

// A client's share of the talk in their latest session: by speaking time when the transcript is timed, else by words.
struct TalkShare {
    std::string client_id;
    std::string client_name;
    std::string session_id;
    std::string session_date;
    double share = 0;  // 0..1
};

struct CoachStats {
    int sessions_this_week = 0;  // by session date, ISO weeks (Monday to Sunday, UTC)
    int sessions_last_week = 0;
    std::optional<double> median_hours_to_approval;    // over the summaries approved in the last 30 days; upload to approval
    std::optional<double> action_completion_rate_30d;  // done / not cancelled, over the items created in the last 30 days
    std::vector<TalkShare> talk_share;                 // each client with a session, by name
};

// One client of a coach, with what the priority rule reads and their latest session's talk share.
struct ClientOfCoach {
    std::string coach_id;
    dashboard::ClientSignals signals;
    std::optional<TalkShare> talk_share;
};

struct CoachDashboard {
    std::string coach_id;
    std::string coach_name;
    std::vector<dashboard::ClientSignals> clients;  // the coach's clients, by name
    std::vector<PendingReview> pending_reviews;     // oldest first
    std::vector<ActionItemRow> overdue_action_items;  // earliest due first
    std::vector<ActionItemRow> due_this_week;         // open, due from today to Sunday
    CoachStats stats;
    std::map<int, std::int64_t> next_offsets;  // the projector's offsets the answer reflects: partition -> next offset
};

// The dashboard of coach_id as it stands at now_ms (the day's boundaries, ages and windows are taken from it),
// within what the actor may see: nullopt when coach_id is not a coach (or lead) the actor may see. topic: the event
// topic whose projected offsets the answer reports.
// schema: a past moment's read model (projections/postgres/as_of_models.hpp), "" for the live one.
std::optional<CoachDashboard> coach_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& coach_id,
                                              std::int64_t now_ms, const std::string& topic, const std::string& schema = {});

// One coach's ISO week on a lead's dashboard.
struct CoachWeek {
    std::string week;  // its Monday, YYYY-MM-DD
    int sessions = 0;                                  // by session date
    std::optional<double> median_hours_to_approval;    // of the approvals that week
    std::optional<double> action_completion_rate;      // of the items created that week, done now / not cancelled
    int pending_reviews = 0;                           // drafts waiting at the week's end (now, for this week)
};

struct LeadCoachRow {
    std::string coach_id;
    std::string name;
    std::vector<CoachWeek> weeks;  // oldest first, every week present
    int clients = 0;
    int clients_needing_attention = 0;  // priority score at least dashboard::attention_score, now
};

struct LeadDashboard {
    std::string lead_id;  // "" for an admin's view of the whole organization
    std::vector<LeadCoachRow> coaches;  // by name
    std::vector<CoachWeek> totals;      // every coach together, per week (the medians over all their approvals)
    std::map<int, std::int64_t> next_offsets;
};

// A lead's dashboard over the last `weeks` ISO weeks up to now_ms: the coaches they lead (and themselves when they
// coach clients); lead_id "" is the whole organization (an admin's). nullopt when lead_id is not a lead the actor may see.
std::optional<LeadDashboard> lead_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& lead_id, int weeks,
                                            std::int64_t now_ms, const std::string& topic, const std::string& schema = {});

struct ApprovedSummary {
    SummaryRow summary;
    std::string session_date;
    std::string approved_at;  // RFC 3339
};

struct ClientDashboard {
    std::string client_id;  // the client record the login names
    std::vector<ActionItemRow> open_action_items;  // earliest due first, undated last
    std::vector<ApprovedSummary> approved_summaries;  // newest session first
    std::map<int, std::int64_t> next_offsets;
};

// A client's own dashboard (the actor is a client login); nullopt when the login names no client.
std::optional<ClientDashboard> client_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, std::int64_t now_ms,
                                                const std::string& topic, const std::string& schema = {});

}  // namespace debrief::projections
