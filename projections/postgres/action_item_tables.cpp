// Event handlers and role-scoped queries for action items.
#include "projections/postgres/action_item_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include <optional>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {

// The events these tables do not change.
using ActionItemTablesIgnore = events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, NoteId, TemplateId, FollowUpId, MetricsImportId>;

void apply_to_action_item_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    const auto version = static_cast<std::int64_t>(m.aggregate_version);
    // A change sets a few columns, $4 being its value when it has one; the version guard keeps replays harmless.
    auto change = [&](const std::string& id, const std::string& assignments, std::optional<std::string> value = std::nullopt) {
        const auto sql = "update action_items set " + assignments + ", version = $3, updated_at = " + at_time + " where id = $2 and version < $3";
        if (value) write_sql(tx, sql, occurred_ms, id, version, *value);
        else write_sql(tx, sql, occurred_ms, id, version);
    };
    events::visit_exhaustive<ActionItemTablesIgnore>(event.payload, overloaded{
                   [&](const events::ActionItemCreated& e) {
                       insert_row_sql(tx, "insert into action_items (id, organization_id, client_id, coach_id, title, owner_id, due_date, status, "
                                      "source, session_id, summary_id, version, created_at, updated_at) values ($2, $3, $4, $5, $6, $7, "
                                      "nullif($8, '')::date, 'open', $9, nullif($10, ''), nullif($11, ''), $12, " +
                                          at_time + ", " + at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.action_item_id.value, m.organization_id.value, e.client_id.value, e.coach_id.value, e.title,
                                      e.owner_id, e.due_date, e.source, e.session_id.value, e.summary_id.value, version);
                   },
                   [&](const events::ActionItemAssigned& e) { change(e.action_item_id.value, "owner_id = $4", e.owner_id); },
                   [&](const events::ActionItemRescheduled& e) { change(e.action_item_id.value, "due_date = $4::date", e.due_date); },
                   [&](const events::ActionItemCompleted& e) { change(e.action_item_id.value, "status = 'done', completed_at = " + at_time); },
                   [&](const events::ActionItemReopened& e) { change(e.action_item_id.value, "status = 'open', completed_at = null"); },
                   [&](const events::ActionItemCancelled& e) { change(e.action_item_id.value, "status = 'cancelled', cancel_reason = $4", e.reason); },
               });
}

std::string action_item_columns_sql(const std::string& today) {
    // due_date is nullable, so the comparison is NULL for an open item without one: an item with no due date is never overdue.
    return "a.id, a.client_id, c.name, a.title, a.owner_id, coalesce(to_char(a.due_date, 'YYYY-MM-DD'), ''), a.status, "
           "coalesce(a.status = 'open' and a.due_date < " + today + ", false), a.source, coalesce(a.session_id, ''), "
           "coalesce(a.summary_id, ''), a.version";
}

ActionItemRow action_item_row(const pqxx::row& r) {
    return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
            r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<bool>(), r[8].as<std::string>(), r[9].as<std::string>(),
            r[10].as<std::string>(), r[11].as<std::uint64_t>()};
}

std::vector<ActionItemRow> list_action_items(pqxx::connection_base& connection, const commands::Actor& actor, const ActionItemFilter& filter) {
    pqxx::read_transaction tx{connection};
    const std::string today = "(now() at time zone 'utc')::date";
    auto rows = exec_prepared_sql(tx,
        "select " + action_item_columns_sql(today) + " from action_items a join clients c on c.id = a.client_id where " +
            std::string(visible_clients_sql) +
            " and a.organization_id = $1 and ($3 = '' or a.owner_id = $3) and ($4 = '' or a.client_id = $4) and ($5 = '' or "
            "($5 = 'overdue' and a.status = 'open' and a.due_date < " + today + ") or a.status = $5) "
            "order by a.due_date nulls last, a.created_at, a.id",
        actor.organization_id.value, actor.user_id.value, filter.owner_id, filter.client_id, filter.status);
    std::vector<ActionItemRow> items;
    for (const auto& r : rows) items.push_back(action_item_row(r));
    return items;
}

std::span<const MigrationStep> action_item_migrations() {
    static constexpr std::array<MigrationStep, 1> steps{{
        // 7: action items; overdue is derived from status and due date when read.
        {7, R"sql(
create table action_items (
  id text primary key,
  organization_id text not null,
  client_id text not null,
  coach_id text not null,
  title text not null,
  owner_id text not null,
  due_date date,
  status text not null,
  source text not null,
  session_id text,
  summary_id text,
  cancel_reason text,
  completed_at timestamptz,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index action_items_by_owner on action_items (organization_id, owner_id, status, due_date);
create index action_items_by_client on action_items (organization_id, client_id, status);
create index action_items_by_coach on action_items (organization_id, coach_id, status, due_date);
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
