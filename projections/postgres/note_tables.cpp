// Event handlers for notes, and the session prep query over clients, action items, notes and summaries.
#include "projections/postgres/note_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {

// The events these tables do not change.
using NoteTablesIgnore = events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, TemplateId, FollowUpId, MetricsImportId>;

void apply_to_note_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    events::visit_exhaustive<NoteTablesIgnore>(event.payload, overloaded{
                   [&](const events::NoteAdded& e) {
                       insert_row_sql(tx, "insert into notes (id, organization_id, client_id, coach_id, text, created_at) values ($2, $3, $4, $5, $6, " +
                                          at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.note_id.value, m.organization_id.value, e.client_id.value, e.coach_id.value, e.text);
                   },
                   [&](const events::NoteAddressed& e) {
                       write_sql(tx, "update notes set addressed_by_session = $3, addressed_at = " + at_time + " where id = $2", occurred_ms,
                                      e.note_id.value, e.session_id.value);
                   },
               });
}

std::optional<SessionPrep> session_prep(pqxx::connection_base& connection, const commands::Actor& actor, const ClientId& client) {
    auto found = find_client(connection, actor, client);
    if (!found) return std::nullopt;
    SessionPrep prep{*found, {}, {}, std::nullopt, {}, {}};
    for (auto& item : list_action_items(connection, actor, ActionItemFilter{"", client.value, "open"})) prep.open_action_items.push_back(std::move(item));
    pqxx::read_transaction tx{connection};
    for (const auto& r : exec_prepared_sql(tx, "select id, text, to_char(created_at at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from notes "
                                        "where organization_id = $1 and client_id = $2 and addressed_by_session is null order by created_at, id",
                                        actor.organization_id.value, client.value))
        prep.unaddressed_notes.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()});
    auto last = exec_prepared_sql(tx,
        "select s.id, s.session_id, s.client_id, '', s.status, s.version, s.content::text, s.engagement, s.breakthrough, s.priority_score, "
        "to_char(se.session_date, 'YYYY-MM-DD') from summaries s join sessions se on se.id = s.session_id "
        "where s.organization_id = $1 and s.client_id = $2 and s.status = 'approved' order by se.session_date desc, s.approved_at desc limit 1",
        actor.organization_id.value, client.value);
    if (!last.empty()) {
        const auto& r = last[0];
        prep.last_approved_summary = SummaryRow{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), found->name,
                                                r[4].as<std::string>(), r[5].as<std::uint64_t>(), r[6].as<std::string>(), r[7].as<std::string>(),
                                                r[8].as<bool>(), r[9].as<double>()};
        prep.last_approved_session_date = r[10].as<std::string>();
    }
    prep.recent_metrics = client_metric_series(tx, actor.organization_id, client, 2);
    return prep;
}

std::span<const MigrationStep> note_migrations() {
    static constexpr std::array<MigrationStep, 1> steps{{
        // 8: quick notes; unaddressed until a session covers them.
        {8, R"sql(
create table notes (
  id text primary key,
  organization_id text not null,
  client_id text not null,
  coach_id text not null,
  text text not null,
  addressed_by_session text,
  addressed_at timestamptz,
  created_at timestamptz not null
);
create index notes_by_client on notes (organization_id, client_id, created_at);
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
