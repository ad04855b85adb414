// JSON shapes of clients, summaries and action items as read from PostgreSQL.
#include "api/routes/read_model_json.hpp"

namespace debrief::api {
namespace json = boost::json;

json::value date_or_null(const std::string& date) { return date.empty() ? json::value(nullptr) : json::value(date); }

json::object client_json(const projections::ClientRow& row) {
    json::array tags;
    for (const auto& tag : row.tags) tags.push_back(json::string(tag));
    json::object out{{"id", row.id}, {"name", row.name}, {"coach_id", row.coach_id}, {"tags", std::move(tags)},
                     {"source", row.source}, {"version", row.version}};
    out["email"] = row.email.empty() ? json::value(nullptr) : json::value(row.email);
    out["team"] = row.team.empty() ? json::value(nullptr) : json::value(row.team);
    return out;
}

json::object summary_json(const projections::SummaryRow& row) {
    json::object out{{"id", row.id},
                     {"session_id", row.session_id},
                     {"client_id", row.client_id},
                     {"client_name", row.client_name},
                     {"status", row.status},
                     {"version", row.version},
                     {"engagement", row.engagement},
                     {"breakthrough", row.breakthrough},
                     {"priority_score", row.priority_score}};
    // The content's lists ("wins", "challenges", "action_items", "coach_recommendations") sit at the top level.
    auto content = json::parse(row.content_json);  // kept alive: iterating a temporary's member would dangle
    for (auto& [key, value] : content.as_object()) out[key] = value;
    return out;
}

json::object item_json(const projections::ActionItemRow& row) {
    return json::object{{"id", row.id},           {"client_id", row.client_id}, {"client_name", row.client_name}, {"title", row.title},
                        {"owner_id", row.owner_id}, {"due_date", date_or_null(row.due_date)}, {"status", row.status},
                        {"overdue", row.overdue},  {"source", row.source},       {"session_id", date_or_null(row.session_id)},
                        {"summary_id", date_or_null(row.summary_id)}, {"version", row.version}};
}

}  // namespace debrief::api
