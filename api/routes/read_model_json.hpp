// Read-model rows as the JSON the API answers with; one shape per row type, shared by every route that shows it.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/summary_tables.hpp"
#include "projections/rebuild_status.hpp"

namespace debrief::api {

// An optional text field (a date, an id, an error): null when empty.
boost::json::value null_if_empty(const std::string& text);
boost::json::object client_json(const projections::ClientRow& row);
boost::json::object summary_json(const projections::SummaryRow& row);
boost::json::object item_json(const projections::ActionItemRow& row);
// {"metric","latest":{"date","value"},"previous":{...}|null,"change","trend","worse"} from a series, newest first.
boost::json::object metric_trend_json(const projections::ClientMetricSeries& series);
// The metrics whose latest value dropped against the previous one (commands/metrics/metric_trends.hpp), with the
// recommendation the next drafted summary of the client will carry.
boost::json::array metric_alerts_json(const std::vector<projections::ClientMetricSeries>& series);
// A rebuild's status (GET /v1/admin/rebuilds/{id}), also a past moment's build (?as_of=).
boost::json::object rebuild_json(const projections::RebuildStatus& status);

}  // namespace debrief::api
