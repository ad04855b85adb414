// Event handlers and role-scoped queries for organizations, users and clients.
#include "projections/postgres/people_tables.hpp"

#include <array>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
const char* const visible_sessions_sql = R"sql(
  se.organization_id = $1 and (
    (select role from users where id = $2 and organization_id = $1) = 'admin'
    or se.coach_id = $2
    or se.coach_id in (select id from users where organization_id = $1 and lead_id = $2)
    or exists (select 1 from session_participants p where p.session_id = se.id and p.client_id =
               (select client_id from users where id = $2 and organization_id = $1 and role = 'client')))
)sql";

namespace {

}  // namespace

const char* const visible_clients_sql = R"sql(
  c.organization_id = $1 and (
    (select role from users where id = $2 and organization_id = $1) = 'admin'
    or c.coach_id = $2
    or c.coach_id in (select id from users where organization_id = $1 and lead_id = $2)
    or c.id = (select client_id from users where id = $2 and organization_id = $1 and role = 'client'))
)sql";

namespace {

std::vector<std::string> text_array(const pqxx::field& field) {
    std::vector<std::string> out;
    auto parser = field.as_array();
    for (auto [kind, value] = parser.get_next(); kind != pqxx::array_parser::done; std::tie(kind, value) = parser.get_next())
        if (kind == pqxx::array_parser::string_value) out.push_back(value);
    return out;
}

// A PostgreSQL array literal: {"a","b \"c\""}; every element quoted so commas and braces stay text.
std::string text_array_literal(const std::vector<std::string>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

ClientRow client_row(const pqxx::row& r) {
    return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].is_null() ? "" : r[3].as<std::string>(),
            text_array(r[4]), r[5].is_null() ? "" : r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::uint64_t>()};
}

constexpr const char* client_columns = "select c.id, c.coach_id, c.name, c.email, c.tags, c.team, c.source, c.version from clients c where ";

}  // namespace

// The events these tables do not change.
// The MFA policy is read from the write model (GET /v1/organization/mfa-policy), not from these tables; an erasure
// is erasure_tables.cpp's.
using PeopleTablesIgnore = concat_t<events::IgnoreAggregates<ApiKeyId, SessionId, SummaryId, ActionItemId, NoteId, TemplateId, FollowUpId, MetricsImportId>,
                                    TypeList<events::ClientErased, events::MfaPolicySet>>;

void apply_to_people_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    events::visit_exhaustive<PeopleTablesIgnore>(event.payload,
        overloaded{
            [&](const events::OrganizationCreated& e) {
                write_sql(tx, "insert into organizations (id, name, created_at) values ($2, $3, " + at_time +
                                   ") on conflict (id) do update set name = excluded.name",
                               occurred_ms, e.organization_id.value, e.name);
            },
            [&](const events::UserRegistered& e) {
                write_sql(tx, "insert into users (id, organization_id, name, email, role, lead_id, client_id, created_at) "
                               "values ($2, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''), " +
                                   at_time + ") on conflict (id) do update set name = excluded.name, email = excluded.email, role = excluded.role",
                               occurred_ms, e.user_id.value, m.organization_id.value, e.name, e.email, e.role, e.lead_id.value, e.client_id.value);
            },
            [&](const events::UserRoleChanged& e) {
                write_sql(tx, "update users set role = $2, lead_id = nullif($3, '') where id = $1", e.user_id.value, e.role,
                               e.lead_id.value);
            },
            [&](const events::UserDeactivated& e) {
                write_sql(tx, "update users set active = false, deactivated_reason = nullif($2, '') where id = $1", e.user_id.value,
                               e.reason);
            },
            [&](const events::UserReactivated& e) {
                write_sql(tx, "update users set active = true, deactivated_reason = null where id = $1", e.user_id.value);
            },
            [&](const events::VoiceProfileSet& e) {
                boost::json::array avoid(e.phrases_to_avoid.begin(), e.phrases_to_avoid.end());
                boost::json::object profile{{"tone", e.tone}, {"sign_off", e.sign_off}, {"phrases_to_avoid", std::move(avoid)}};
                write_sql(tx, "update users set voice_profile = $2::jsonb where id = $1", e.user_id.value, boost::json::serialize(profile));
            },
            [&](const events::NotificationPreferencesSet& e) {
                boost::json::array notify_on(e.notify_on.begin(), e.notify_on.end());
                auto or_null = [](const std::string& text) { return text.empty() ? boost::json::value(nullptr) : boost::json::value(text); };
                boost::json::object preferences{{"email_digest", e.email_digest}, {"notify_on", std::move(notify_on)},
                                                {"quiet_hours_start", or_null(e.quiet_hours_start)}, {"quiet_hours_end", or_null(e.quiet_hours_end)},
                                                {"time_zone", or_null(e.time_zone)}};
                write_sql(tx, "update users set notification_preferences = $2::jsonb where id = $1", e.user_id.value,
                               boost::json::serialize(preferences));
            },
            [&](const events::ClientRegistered& e) {
                insert_row_sql(tx, "insert into clients (id, organization_id, coach_id, name, email, tags, team, source, version, created_at, updated_at) "
                               "values ($2, $3, $4, $5, nullif($6, ''), $7::text[], nullif($8, ''), $9, $10, " +
                                   at_time + ", " + at_time + ") on conflict (id) do nothing",
                               occurred_ms, e.client_id.value, m.organization_id.value, e.coach_id.value, e.name, e.email, text_array_literal(e.tags), e.team, e.source,
                               static_cast<std::int64_t>(m.aggregate_version));
            },
        });
}

std::optional<ClientRow> find_client(pqxx::connection_base& connection, const commands::Actor& actor, const ClientId& client) {
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx, std::string(client_columns) + visible_clients_sql + " and c.id = $3", actor.organization_id.value,
                               actor.user_id.value, client.value);
    if (rows.empty()) return std::nullopt;
    return client_row(rows[0]);
}

std::vector<ClientRow> list_clients(pqxx::connection_base& connection, const commands::Actor& actor) {
    pqxx::read_transaction tx{connection};
    std::vector<ClientRow> clients;
    for (const auto& row : exec_prepared_sql(tx, std::string(client_columns) + visible_clients_sql + " order by c.name, c.id", actor.organization_id.value,
                                          actor.user_id.value))
        clients.push_back(client_row(row));
    return clients;
}

std::vector<UserRow> list_users(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& id) {
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx,
        "select u.id, u.name, u.email, u.role, coalesce(u.lead_id, ''), coalesce(u.client_id, ''), u.active, coalesce(u.voice_profile::text, ''), "
        "coalesce(u.notification_preferences::text, '') from users u where u.organization_id = $1 and ($3 = '' or u.id = $3) and ("
        "(select role from users where id = $2 and organization_id = $1) = 'admin' or u.id = $2 or "
        "(u.lead_id = $2 and (select role from users where id = $2 and organization_id = $1) = 'coach_lead')) order by u.name, u.id",
        actor.organization_id.value, actor.user_id.value, id);
    std::vector<UserRow> users;
    for (const auto& r : rows)
        users.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                         r[5].as<std::string>(), r[6].as<bool>(), r[7].as<std::string>(), r[8].as<std::string>()});
    return users;
}

std::span<const MigrationStep> people_migrations() {
    static constexpr std::array<MigrationStep, 3> steps{{
        // 1: organizations and their users.
        {1, R"sql(
create table organizations (
  id text primary key,
  name text not null,
  created_at timestamptz not null
);
create table users (
  id text primary key,
  organization_id text not null,
  name text not null,
  email text not null,
  role text not null,
  created_at timestamptz not null
);
create index users_by_organization on users (organization_id);
)sql"},
        // 3: people: who leads which coach, which login is which client, and the clients themselves.
        {3, R"sql(
alter table users add column lead_id text, add column client_id text;
create index users_by_lead on users (organization_id, lead_id);
create table clients (
  id text primary key,
  organization_id text not null,
  coach_id text not null,
  name text not null,
  email text,
  tags text[] not null default '{}',
  team text,
  source text not null,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index clients_by_coach on clients (organization_id, coach_id, name);
)sql"},
        // 10: user management: deactivation, a coach's voice profile, notification preferences.
        {10, R"sql(
alter table users add column active boolean not null default true, add column deactivated_reason text,
  add column voice_profile jsonb, add column notification_preferences jsonb;
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
