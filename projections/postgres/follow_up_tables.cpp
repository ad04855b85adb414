// Event handlers and role-scoped queries for templates and follow-ups.
#include "projections/postgres/follow_up_tables.hpp"

#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace {

constexpr const char* rfc3339_sql = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";

std::string timestamp(const std::string& column) {
    return "coalesce(to_char(" + column + " at time zone 'utc', " + rfc3339_sql + "), '')";
}

}  // namespace

// The events these tables do not change.
using FollowUpTablesIgnore = events::IgnoreAggregates<OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, NoteId, MetricsImportId>;

void apply_to_follow_up_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    const auto version = static_cast<std::int64_t>(m.aggregate_version);
    // The version guard keeps a replayed event harmless.
    auto follow_up_change = [&](const std::string& id, const std::string& assignments, auto... values) {
        tx.exec_params("update follow_ups set " + assignments + ", version = $3, updated_at = " + at_time + " where id = $2 and version < $3",
                       occurred_ms, id, version, values...);
    };
    events::visit_exhaustive<FollowUpTablesIgnore>(event.payload, overloaded{
                   [&](const events::TemplateCreated& e) {
                       tx.exec_params("insert into templates (id, organization_id, owner_id, kind, name, subject, body, version, created_at, "
                                      "updated_at) values ($2, $3, nullif($4, ''), $5, $6, $7, $8, $9, " +
                                          at_time + ", " + at_time + ") on conflict (id) do nothing",
                                      occurred_ms, e.template_id.value, m.organization_id.value, e.owner_id.value, e.kind, e.name, e.subject, e.body,
                                      version);
                   },
                   [&](const events::TemplateRevised& e) {
                       tx.exec_params("update templates set name = $4, subject = $5, body = $6, version = $3, updated_at = " + at_time +
                                          " where id = $2 and version < $3",
                                      occurred_ms, e.template_id.value, version, e.name, e.subject, e.body);
                   },
                   [&](const events::FollowUpDrafted& e) {
                       tx.exec_params("insert into follow_ups (id, organization_id, summary_id, session_id, client_id, coach_id, template_id, "
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

std::vector<TemplateRow> list_templates(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& kind) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(
        "select t.id, t.kind, t.name, t.subject, t.body, coalesce(t.owner_id, ''), t.version, " + timestamp("t.updated_at") +
            " from templates t where t.organization_id = $1 and ($3 = '' or t.kind = $3) and (t.owner_id is null or t.owner_id = $2 "
            "or (select role from users where id = $2 and organization_id = $1) = 'admin' "
            "or t.owner_id in (select id from users where organization_id = $1 and lead_id = $2)) order by t.created_at desc, t.id",
        actor.organization_id.value, actor.user_id.value, kind);
    std::vector<TemplateRow> templates;
    for (const auto& r : rows)
        templates.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                             r[5].as<std::string>(), r[6].as<std::uint64_t>(), r[7].as<std::string>()});
    return templates;
}

std::vector<FollowUpRow> list_follow_ups(pqxx::connection_base& connection, const commands::Actor& actor, const FollowUpFilter& filter) {
    pqxx::read_transaction tx{connection};
    auto rows = tx.exec_params(
        "select f.id, f.summary_id, f.session_id, f.client_id, c.name, f.coach_id, f.template_id, f.recipient, f.subject, f.body, f.status, " +
            timestamp("f.send_at") + ", f.attempts, coalesce(f.last_error, ''), " + timestamp("f.next_attempt_at") + ", " + timestamp("f.sent_at") +
            ", coalesce(f.channel, ''), f.version from follow_ups f join clients c on c.id = f.client_id where " + std::string(visible_clients_sql) +
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

}  // namespace debrief::projections
