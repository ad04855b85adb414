// A client's erasure in the PostgreSQL read model. Rows stay where other people's work refers to them (a session,
// a summary, an action item keep their ids, dates and counts), with every text of the person blanked; the client's
// own row goes, so the client is 404 from then on. A rebuild reaches the same state: events sealed with an erased
// key open empty, and older events in clear are blanked again when the rebuild reaches the erasure.
#include "projections/postgres/erasure_tables.hpp"

#include <pqxx/pqxx>

#include "events/personal_data.hpp"

#include "projections/postgres/prepared_sql.hpp"

namespace debrief::projections {
namespace {

// An empty summary: the lists go, so nothing of what was said stays (their lengths are in the events).
constexpr const char* empty_content = R"({"wins":[],"challenges":[],"action_items":[],"coach_recommendations":[]})";

void erase(pqxx::transaction_base& tx, const events::ClientErased& e) {
    const auto& client = e.client_id.value;
    write_sql(tx, "delete from clients where id = $1", client);
    write_sql(tx, "update users set name = '', email = '', active = false, deactivated_reason = null where client_id = $1", client);
    write_sql(tx, "update session_participants set name = '' where client_id = $1", client);
    for (const auto& subject : e.subjects)
        if (auto session = events::personal_data::subject_id<SessionId>(subject))
            write_sql(tx, "update sessions set failure_reason = null where id = $1", session->value);
    write_sql(tx, std::string("update summaries set content = '") + empty_content + "', drafted = '" + empty_content + "' where client_id = $1",
                      client);
    write_sql(tx, std::string("update summary_refinements set message = '', reply = '', before = '") + empty_content + "', after = '" +
                              empty_content + "' where summary_id in (select id from summaries where client_id = $1)",
                      client);
    write_sql(tx, "update action_items set title = '', cancel_reason = null where client_id = $1", client);
    write_sql(tx, "update notes set text = '' where client_id = $1", client);
    write_sql(tx, "update follow_ups set recipient = '', subject = '', body = '', last_error = null where client_id = $1", client);
}

}  // namespace

void apply_to_erasure(pqxx::transaction_base& tx, const events::Event& event) {
    if (const auto* erased = std::get_if<events::ClientErased>(&event.payload)) erase(tx, *erased);
}

std::span<const MigrationStep> erasure_migrations() { return {}; }

}  // namespace debrief::projections
