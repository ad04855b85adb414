// JSON shapes of clients, summaries and action items as read from PostgreSQL.
#include "api/routes/read_model_json.hpp"

#include "events/cloudevents.hpp"

#include "commands/metrics/metric_trends.hpp"

namespace debrief::api {
namespace json = boost::json;

json::value null_if_empty(const std::string& text) { return text.empty() ? json::value(nullptr) : json::value(text); }

json::object client_json(const projections::ClientRow& row) {
    json::array tags;
    for (const auto& tag : row.tags) tags.push_back(json::string(tag));
    json::object out{{"id", row.id}, {"name", row.name}, {"coach_id", row.coach_id}, {"tags", std::move(tags)},
                     {"source", row.source}, {"version", row.version}};
    out["email"] = null_if_empty(row.email);
    out["team"] = null_if_empty(row.team);
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
                        {"owner_id", row.owner_id}, {"due_date", null_if_empty(row.due_date)}, {"status", row.status},
                        {"overdue", row.overdue},  {"source", row.source},       {"session_id", null_if_empty(row.session_id)},
                        {"summary_id", null_if_empty(row.summary_id)}, {"version", row.version}};
}

namespace {

commands::metrics::MetricTrend trend_of(const projections::ClientMetricSeries& series) {
    commands::metrics::MetricHistory history;
    if (!series.values.empty()) history.latest = {series.values[0].date, series.values[0].value};
    if (series.values.size() > 1) history.previous = commands::metrics::MetricPoint{series.values[1].date, series.values[1].value};
    return commands::metrics::trend_of(series.metric, history);
}

json::object point_json(const commands::metrics::MetricPoint& point) { return {{"date", point.date}, {"value", point.value}}; }

}  // namespace

json::object metric_trend_json(const projections::ClientMetricSeries& series) {
    auto trend = trend_of(series);
    json::object out{{"metric", series.metric}, {"latest", point_json(trend.history.latest)}};
    out["previous"] = trend.history.previous ? json::value(point_json(*trend.history.previous)) : json::value(nullptr);
    out["change"] = trend.change;
    out["trend"] = trend.trend;
    out["worse"] = trend.worse;
    return out;
}

json::array metric_alerts_json(const std::vector<projections::ClientMetricSeries>& series) {
    json::array alerts;
    for (const auto& s : series) {
        auto trend = trend_of(s);
        if (!trend.drop) continue;
        alerts.push_back(json::object{{"metric", s.metric},
                                      {"latest", point_json(trend.history.latest)},
                                      {"previous", point_json(*trend.history.previous)},
                                      {"change", trend.change},
                                      {"change_ratio", trend.change_ratio},
                                      {"message", commands::metrics::drop_recommendation(trend)}});
    }
    return alerts;
}

json::object rebuild_json(const projections::RebuildStatus& status) {
    json::array partitions;
    std::int64_t applied = 0, target = 0;  // offsets, summed over the partitions (transaction markers count)
    for (const auto& p : status.partitions) {
        partitions.push_back(json::object{{"partition", p.partition}, {"offset", p.offset}, {"end", p.end}});
        applied += p.offset;
        target += p.end;
    }
    return {{"id", status.id},
            {"read_model", status.read_model},
            {"state", status.state},
            {"status", status.state},
            {"applied", applied},
            {"target", target},
            {"events_applied", status.events_applied},
            {"dead_letters", status.dead_letters},
            {"events_per_second", status.events_per_second},
            {"eta_seconds", status.eta_seconds ? json::value(*status.eta_seconds) : json::value(nullptr)},
            {"partitions", std::move(partitions)},
            {"started_at", events::rfc3339_utc(status.started_ms)},
            {"finished_at", status.finished_ms ? json::value(events::rfc3339_utc(status.finished_ms)) : json::value(nullptr)},
            {"matches_live", status.matches_live ? json::value(*status.matches_live) : json::value(nullptr)},
            {"first_difference", status.first_difference.empty() ? json::value(nullptr) : json::value(status.first_difference)},
            {"error", status.error.empty() ? json::value(nullptr) : json::value(status.error)}};
}

}  // namespace debrief::api
