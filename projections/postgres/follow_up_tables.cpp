// Event handlers and role-scoped queries for follow-ups.
#include "projections/postgres/follow_up_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
// The events these tables do not change.
using FollowUpTablesIgnore =
    events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, NoteId, TemplateId, MetricsImportId>;

void apply_to_follow_up_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    const auto version = static_cast<std::int64_t>(m.aggregate_version);
    // The version guard keeps a replayed event harmless.
    auto follow_up_change = [&](const std::string& id, const std::string& assignments, auto... values) {
        write_sql(tx, "update follow_ups set " + assignments + ", version = $3, updated_at = " + at_time + " where id = $2 and version < $3",
                       occurred_ms, id, version, values...);
    };
    events::visit_exhaustive<FollowUpTablesIgnore>(event.payload, overloaded{
                   [&](const events::FollowUpDrafted& e) {
                       insert_row_sql(tx, "insert into follow_ups (id, organization_id, summary_id, session_id, client_id, coach_id, template_id, "
                                      "recipient, subject, body, status, version, created_at, updated_at) values ($2, $3, $4, $5, $6, $7, $8, $9, "
                                      "$10, $11, 'draft', $12, " +
                                          at_time + ", " + at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.follow_up_id.value, m.organization_id.value, e.summary_id.value, e.session_id.value,
                                      e.client_id.value, e.coach_id.value, e.template_id, e.recipient, e.subject, e.body, version);
                   },
                   [&](const events::FollowUpScheduled& e) {
                       follow_up_change(e.follow_up_id.value,
                                        "status = 'scheduled', send_at = to_timestamp($4::double precision / 1000), "
                                        "next_attempt_at = to_timestamp($4::double precision / 1000), attempts = 0, last_error = null",
                                        static_cast<double>(e.send_at_ms));
                   },
                   [&](const events::FollowUpSent& e) {
                       follow_up_change(e.follow_up_id.value,
                                        "status = 'sent', attempts = $4, channel = $5, message_id = $6, next_attempt_at = null, sent_at = " + at_time,
                                        e.attempt, e.channel, e.message_id);
                   },
                   [&](const events::FollowUpDeliveryFailed& e) {
                       follow_up_change(e.follow_up_id.value,
                                        "attempts = $4, last_error = $5, status = case when $6 then 'failed' else status end, "
                                        "next_attempt_at = case when $6 then null else to_timestamp($7::double precision / 1000) end",
                                        e.attempt, e.error, e.gave_up, static_cast<double>(e.retry_at_ms));
                   },
               });
}

std::vector<FollowUpRow> list_follow_ups(pqxx::connection_base& connection, const commands::Actor& actor, const FollowUpFilter& filter) {
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx,
        "select f.id, f.summary_id, f.session_id, f.client_id, c.name, f.coach_id, f.template_id, f.recipient, f.subject, f.body, f.status, " +
            rfc3339_millis_sql("f.send_at") + ", f.attempts, coalesce(f.last_error, ''), " + rfc3339_millis_sql("f.next_attempt_at") + ", " + rfc3339_millis_sql("f.sent_at") +
            ", coalesce(f.channel, ''), f.version from follow_ups f join clients c on c.id = f.client_id where " + std::string(visible_clients_sql) +
            // Minimum necessary: a client sees the e-mails sent to them, not the coach's drafts, schedules or failures.
            " and ((select role from users where id = $2 and organization_id = $1) <> 'client' or f.status = 'sent')"
            " and f.organization_id = $1 and ($3 = '' or f.id = $3) and ($4 = '' or f.client_id = $4) and ($5 = '' or f.status = $5) "
            "order by f.created_at desc, f.id",
        actor.organization_id.value, actor.user_id.value, filter.id, filter.client_id, filter.status);
    std::vector<FollowUpRow> follow_ups;
    for (const auto& r : rows)
        follow_ups.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                              r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(), r[8].as<std::string>(), r[9].as<std::string>(),
                              r[10].as<std::string>(), r[11].as<std::string>(), r[12].as<int>(), r[13].as<std::string>(), r[14].as<std::string>(),
                              r[15].as<std::string>(), r[16].as<std::string>(), r[17].as<std::uint64_t>()});
    return follow_ups;
}

std::span<const MigrationStep> follow_up_migrations() {
    static constexpr std::array<MigrationStep, 1> steps{{
        // 9: follow-ups with their outbox state.
        {9, R"sql(
create table follow_ups (
  id text primary key,
  organization_id text not null,
  summary_id text not null,
  session_id text not null,
  client_id text not null,
  coach_id text not null,
  template_id text not null,
  recipient text not null,
  subject text not null,
  body text not null,
  status text not null,
  send_at timestamptz,
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  sent_at timestamptz,
  channel text,
  message_id text,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index follow_ups_by_client on follow_ups (organization_id, client_id, created_at);
create index follow_ups_by_status on follow_ups (organization_id, status, next_attempt_at);
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
