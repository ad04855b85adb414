// Numbered, append-only migrations: never edit one that has shipped, add the next.
#include "projections/postgres/migrations.hpp"

#include <pqxx/pqxx>

#include <array>
#include <string_view>

namespace debrief::projections {
namespace {

constexpr std::array<std::string_view, 12> migrations{
    R"sql(
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
create table projection_offsets (
  projector text not null,
  topic text not null,
  partition int not null,
  next_offset bigint not null,
  primary key (projector, topic, partition)
);
)sql",
    // 2: sessions per coach and week, for the dashboard's quick stats; a counter, so it relies on exactly-once.
    R"sql(
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
)sql",
    // 3: people: who leads which coach, which login is which client, and the clients themselves.
    R"sql(
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
)sql",
    // 4: who each speaker is: the coach, or a client.
    R"sql(
alter table session_participants add column client_id text, add column is_coach boolean not null default false;
create index participants_by_client on session_participants (organization_id, client_id);
)sql",
    // 5: summaries, one per client per session: the content as it reads now and as the analyser drafted it.
    R"sql(
create table summaries (
  id text primary key,
  organization_id text not null,
  session_id text not null,
  client_id text not null,
  coach_id text not null,
  status text not null,
  version bigint not null,
  content jsonb not null,
  drafted jsonb not null,
  engagement text not null,
  breakthrough boolean not null,
  priority_score double precision not null,
  analyser text not null,
  approved_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index summaries_by_session on summaries (organization_id, session_id);
create index summaries_by_client on summaries (organization_id, client_id);
create index summaries_by_coach_status on summaries (organization_id, coach_id, status);
)sql",
    // 6: the refinement chat of each summary, with the content before and after every request.
    R"sql(
create table summary_refinements (
  summary_id text not null,
  organization_id text not null,
  version bigint not null,
  message text not null,
  reply text not null,
  before jsonb not null,
  after jsonb not null,
  refiner text not null,
  actor_id text not null,
  refined_at timestamptz not null,
  primary key (summary_id, version)
);
)sql",
    // 7: action items; overdue is derived from status and due date when read.
    R"sql(
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
)sql",
    // 8: quick notes; unaddressed until a session covers them.
    R"sql(
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
)sql",
    // 9: templates (organization-wide or a coach's) and follow-ups with their outbox state.
    R"sql(
create table templates (
  id text primary key,
  organization_id text not null,
  owner_id text,
  kind text not null,
  name text not null,
  subject text not null,
  body text not null,
  version bigint not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index templates_by_organization on templates (organization_id, kind, created_at);
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
)sql",
    // 10: user management: deactivation, a coach's voice profile, notification preferences.
    R"sql(
alter table users add column active boolean not null default true, add column deactivated_reason text,
  add column voice_profile jsonb, add column notification_preferences jsonb;
)sql",
    // 11: metrics imports: staged rows for the preview, and client metrics per day written only on commit.
    R"sql(
create table metrics_imports (
  id text primary key,
  organization_id text not null,
  importer_id text not null,
  file_name text not null,
  status text not null,
  row_count int not null,
  metrics jsonb not null,
  version bigint not null,
  created_at timestamptz not null,
  settled_at timestamptz
);
create index metrics_imports_by_organization on metrics_imports (organization_id, created_at desc);
create table metrics_import_rows (
  import_id text not null,
  organization_id text not null,
  row_number int not null,
  client_id text not null,
  metric_date date not null,
  metric_values jsonb not null,
  primary key (import_id, row_number)
);
create table client_metrics (
  organization_id text not null,
  client_id text not null,
  metric text not null,
  metric_date date not null,
  value double precision not null,
  import_id text not null,
  primary key (organization_id, client_id, metric, metric_date)
);
)sql",
    // 12: events the PostgreSQL projector set aside (also on the dead-letter topic), with their bytes for a retry.
    R"sql(
create table projection_dead_letters (
  projector text not null,
  topic text not null,
  partition int not null,
  "offset" bigint not null,
  organization_id text not null,
  event_type text not null,
  event_id text not null,
  error text not null,
  payload bytea not null,
  status text not null,
  at timestamptz not null,
  retried_at timestamptz,
  primary key (projector, topic, partition, "offset")
);
create index projection_dead_letters_by_organization on projection_dead_letters (organization_id, at desc);
)sql",
};

}  // namespace

Result<int> migrate(const std::string& connection_string) {
    try {
        pqxx::connection connection{connection_string};
        pqxx::work tx{connection};
        tx.exec("select pg_advisory_xact_lock(734210)");  // one migrator at a time across instances
        tx.exec("create table if not exists schema_migrations (version int primary key, applied_at timestamptz not null default now())");
        auto applied = tx.exec("select coalesce(max(version), 0) from schema_migrations")[0][0].as<int>();
        int count = 0;
        for (int version = applied + 1; version <= static_cast<int>(migrations.size()); ++version) {
            tx.exec(std::string(migrations[version - 1]));
            tx.exec_params("insert into schema_migrations (version) values ($1)", version);
            ++count;
        }
        tx.commit();
        return count;
    } catch (const std::exception& e) {
        return Error{ErrorKind::unavailable, "database_unavailable", std::string("migrations: ") + e.what()};
    }
}

}  // namespace debrief::projections
