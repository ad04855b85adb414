// Event handlers and queries for the session dashboard tables.
#include "projections/postgres/session_tables.hpp"

#include <array>

#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/as_of_models.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace {
constexpr const char* at_time = event_time_sql;
}  // namespace

// The events these tables do not change.
using SessionTablesIgnore = concat_t<events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, ClientId, SummaryId, ActionItemId, NoteId, TemplateId, FollowUpId, MetricsImportId>, TypeList<events::SessionAnalysed>>;

void apply_to_session_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    events::visit_exhaustive<SessionTablesIgnore>(event.payload,
        overloaded{
            [&](const events::SessionCreated& e) {
                insert_row_sql(tx, std::string("insert into sessions (id, organization_id, coach_id, session_date, session_type, status, version, "
                                           "created_at, updated_at) values ($2, $3, $4, $5::date, $6, 'created', $7, ") +
                                   at_time + ", " + at_time + ") on conflict (id) do nothing",
                               occurred_ms, e.session_id.value, m.organization_id.value, e.coach_id.value, e.session_date, e.session_type,
                               static_cast<std::int64_t>(m.aggregate_version));
                // An increment, not an upsert: correct only because each event is applied exactly once.
                write_sql(tx,
                    "insert into coach_weekly_stats (organization_id, coach_id, week, sessions) "
                    "values ($1, $2, date_trunc('week', $3::date)::date, 1) "
                    "on conflict (organization_id, coach_id, week) do update set sessions = coach_weekly_stats.sessions + 1",
                    m.organization_id.value, e.coach_id.value, e.session_date);
            },
            [&](const events::TranscriptUploaded& e) {
                write_sql(tx, std::string("update sessions set status = 'uploaded', transcript_format = $3, version = $4, updated_at = ") +
                                   at_time + " where id = $2 and version < $4",
                               occurred_ms, e.session_id.value, e.format, static_cast<std::int64_t>(m.aggregate_version));
            },
            [&](const events::SessionProcessingFailed& e) {
                write_sql(tx, std::string("update sessions set status = 'failed', failure_stage = $3, failure_code = $4, failure_reason = $5, "
                                           "version = $6, updated_at = ") +
                                   at_time + " where id = $2 and version < $6",
                               occurred_ms, e.session_id.value, e.stage, e.code, e.reason, static_cast<std::int64_t>(m.aggregate_version));
            },
            [&](const events::TranscriptParsed& e) {
                write_sql(tx, std::string("update sessions set status = 'parsed', timed = $3, version = $4, updated_at = ") + at_time +
                                   " where id = $2 and version < $4",
                               occurred_ms, e.session_id.value, e.timed, static_cast<std::int64_t>(m.aggregate_version));
                write_sql(tx, "delete from session_participants where session_id = $1", e.session_id.value);
                int ordinal = 0;
                for (const auto& p : e.participants)
                    insert_row_sql(tx,
                        "insert into session_participants (session_id, organization_id, ordinal, name, speaking_seconds, word_count, turn_count, "
                        "client_id, is_coach, session_date) values ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, "
                        "(select session_date from sessions where id = $1))",
                        e.session_id.value, m.organization_id.value, ordinal++, p.name, p.speaking_seconds, p.word_count, p.turn_count,
                        p.client_id.value, p.is_coach);
            },
        });
}

std::optional<SessionRow> find_session(pqxx::connection_base& connection, const commands::Actor& actor, const SessionId& session) {
    const auto& organization = actor.organization_id;
    pqxx::read_transaction tx{connection};
    auto rows = exec_prepared_sql(tx,
        std::string("select se.id, se.coach_id, se.status, to_char(se.session_date, 'YYYY-MM-DD'), se.session_type, se.version, "
                    "coalesce(se.failure_stage, ''), coalesce(se.failure_code, ''), coalesce(se.failure_reason, '') from sessions se "
                    "where ") +
            visible_sessions_sql + " and se.id = $3",
        organization.value, actor.user_id.value, session.value);
    if (rows.empty()) return std::nullopt;
    SessionRow row{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>(),
                   rows[0][3].as<std::string>(), rows[0][4].as<std::string>(), rows[0][5].as<std::uint64_t>(), {},
                   rows[0][6].as<std::string>(), rows[0][7].as<std::string>(), rows[0][8].as<std::string>()};
    for (const auto& p : exec_prepared_sql(tx,
             "select name, speaking_seconds, word_count, turn_count, coalesce(client_id, ''), is_coach from session_participants "
             "where organization_id = $1 and session_id = $2 order by ordinal",
             organization.value, session.value))
        row.participants.push_back({p[0].as<std::string>(), p[1].as<double>(), p[2].as<int>(), p[3].as<int>(), p[4].as<std::string>(), p[5].as<bool>()});
    return row;
}

std::vector<SessionListItem> list_sessions(pqxx::connection_base& connection, const commands::Actor& actor, const SessionListFilter& filter,
                                           const std::string& schema) {
    pqxx::read_transaction tx{connection};
    read_schema(tx, schema);
    // Newest first, by (session_date, id): the keyset the cursor carries. An empty filter is no filter.
    auto rows = exec_prepared_sql(tx,
        std::string("select se.id, se.coach_id, se.status, to_char(se.session_date, 'YYYY-MM-DD'), se.session_type, se.version, "
                    "coalesce((select string_agg(distinct p.client_id, ',') from session_participants p "
                    "          where p.session_id = se.id and p.client_id is not null and p.client_id <> ''), '') "
                    "from sessions se where ") +
            visible_sessions_sql +
            " and ($3 = '' or se.coach_id = $3)"
            " and ($4 = '' or exists (select 1 from session_participants p where p.organization_id = $1 and p.client_id = $4 and p.session_id = se.id))"
            " and ($5 = '' or se.session_date >= nullif($5, '')::date)"
            " and ($6 = '' or se.session_date <= nullif($6, '')::date)"
            " and ($7 = '' or se.session_type = $7)"
            " and ($8 = '' or se.status = $8)"
            " and ($9 = '' or (se.session_date, se.id) < (nullif($9, '')::date, $10))"
            " order by se.session_date desc, se.id desc limit $11::int",
        actor.organization_id.value, actor.user_id.value, filter.coach_id, filter.client_id, filter.date_from, filter.date_to, filter.session_type,
        filter.status, filter.after_date, filter.after_id, std::to_string(filter.limit));
    std::vector<SessionListItem> items;
    for (const auto& row : rows) {
        SessionListItem item{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>(),
                             row[4].as<std::string>(), row[5].as<std::uint64_t>(), {}};
        const auto clients = row[6].as<std::string>();
        for (std::size_t start = 0; start < clients.size();) {
            auto end = std::min(clients.find(',', start), clients.size());
            item.client_ids.push_back(clients.substr(start, end - start));
            start = end + 1;
        }
        items.push_back(std::move(item));
    }
    return items;
}

std::span<const MigrationStep> session_migrations() {
    static constexpr std::array<MigrationStep, 6> steps{{
        // 1: sessions and who spoke in them.
        {1, R"sql(
create table sessions (
  id text primary key,
  organization_id text not null,
  coach_id text not null,
  session_date date not null,
  session_type text not null,
  status text not null,
  transcript_format text,
  timed boolean,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index sessions_by_coach on sessions (organization_id, coach_id, session_date desc);
create table session_participants (
  session_id text not null references sessions (id) on delete cascade,
  organization_id text not null,
  ordinal int not null,
  name text not null,
  speaking_seconds double precision not null,
  word_count int not null,
  turn_count int not null,
  primary key (session_id, ordinal)
);
)sql"},
        // 2: sessions per coach and week, for the dashboard's quick stats; a counter, so it relies on exactly-once.
        {2, R"sql(
create table coach_weekly_stats (
  organization_id text not null,
  coach_id text not null,
  week date not null,
  sessions int not null,
  primary key (organization_id, coach_id, week)
);
insert into coach_weekly_stats (organization_id, coach_id, week, sessions)
  select organization_id, coach_id, date_trunc('week', session_date)::date, count(*) from sessions
  group by organization_id, coach_id, date_trunc('week', session_date)::date;
)sql"},
        // 4: who each speaker is: the coach, or a client.
        {4, R"sql(
alter table session_participants add column client_id text, add column is_coach boolean not null default false;
create index participants_by_client on session_participants (organization_id, client_id);
)sql"},
        // 13: why a session failed for good (status failed): the step, the refusal's code, its message.
        {13, R"sql(
alter table sessions add column failure_stage text, add column failure_code text, add column failure_reason text;
)sql"},
        // 15: the session list, newest first: an organization's (an admin's), a coach's (keyset on date and id).
        {15, R"sql(
create index sessions_by_date on sessions (organization_id, session_date desc, id desc);
create index sessions_by_coach_date on sessions (organization_id, coach_id, session_date desc, id desc);
drop index sessions_by_coach;
)sql"},
        // 16: a client's latest sessions read from their participant rows alone (the dashboards' cadence and talk
        // share): the session's date on each row, in an index that gives them newest first.
        {16, R"sql(
alter table session_participants add column session_date date;
update session_participants p set session_date = se.session_date from sessions se where se.id = p.session_id;
create index participants_by_client_date on session_participants (organization_id, client_id, session_date desc, session_id desc);
create statistics participants_client_dependency (dependencies) on organization_id, client_id from session_participants;
create statistics clients_coach_dependency (dependencies) on organization_id, coach_id from clients;
drop index participants_by_client;
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
