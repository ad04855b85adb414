// Read-model rows as the JSON the API answers with; one shape per row type, shared by every route that shows it.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/summary_tables.hpp"

namespace debrief::api {

boost::json::value date_or_null(const std::string& date);
boost::json::object client_json(const projections::ClientRow& row);
boost::json::object summary_json(const projections::SummaryRow& row);
boost::json::object item_json(const projections::ActionItemRow& row);

}  // namespace debrief::api
