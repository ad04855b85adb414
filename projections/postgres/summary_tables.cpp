// Event handlers and queries for summaries; contents are stored as JSON documents (jsonb) of the event's content.
#include "projections/postgres/summary_tables.hpp"

#include <array>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "common/overloaded.hpp"
#include "events/event_dispatch.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace json = boost::json;
namespace {

json::array string_array(const std::vector<std::string>& values) {
    json::array out;
    for (const auto& v : values) out.push_back(json::string(v));
    return out;
}

std::string content_json(const events::SummaryContent& content) {
    json::array items;
    for (const auto& item : content.action_items)
        items.push_back(json::object{{"title", item.title},
                                     {"owner_id", item.owner_id},
                                     {"due_date", item.due_date.empty() ? json::value(nullptr) : json::value(item.due_date)}});
    return json::serialize(json::object{{"wins", string_array(content.wins)},
                                        {"challenges", string_array(content.challenges)},
                                        {"action_items", std::move(items)},
                                        {"coach_recommendations", string_array(content.coach_recommendations)}});
}

}  // namespace

// The events these tables do not change.
using SummaryTablesIgnore = concat_t<events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, ClientId, ActionItemId, NoteId, TemplateId, FollowUpId, MetricsImportId>, TypeList<events::SessionCreated, events::TranscriptUploaded, events::TranscriptParsed, events::SessionProcessingFailed>>;

void apply_to_summary_tables(pqxx::transaction_base& tx, const events::Event& event) {
    const auto& m = event.metadata;
    const double occurred_ms = static_cast<double>(m.occurred_at_ms);
    const std::string at_time = event_time_sql;
    events::visit_exhaustive<SummaryTablesIgnore>(event.payload,
        overloaded{
            [&](const events::SummaryDrafted& e) {
                auto content = content_json(e.content);
                insert_row_sql(tx, "insert into summaries (id, organization_id, session_id, client_id, coach_id, status, version, content, drafted, "
                               "engagement, breakthrough, priority_score, analyser, created_at, updated_at, session_date) values ($2, $3, $4, $5, $6, "
                               "'draft', $7, $8::jsonb, $8::jsonb, $9, $10, $11, $12, " +
                                   at_time + ", " + at_time + ", (select session_date from sessions where id = $4)) on conflict (id) do nothing",
                               occurred_ms, e.summary_id.value, m.organization_id.value, e.session_id.value, e.client_id.value, e.coach_id.value,
                               static_cast<std::int64_t>(m.aggregate_version), content, e.engagement, e.breakthrough, e.priority_score, e.analyser);
            },
            [&](const events::SummaryRefined& e) {
                write_sql(tx, "update summaries set content = $3::jsonb, version = $4, updated_at = " + at_time + " where id = $2 and version < $4",
                               occurred_ms, e.summary_id.value, content_json(e.after), static_cast<std::int64_t>(m.aggregate_version));
                insert_row_sql(tx, "insert into summary_refinements (summary_id, organization_id, version, message, reply, before, after, refiner, "
                               "actor_id, refined_at) values ($2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, " +
                                   at_time + ") on conflict do nothing",
                               occurred_ms, e.summary_id.value, m.organization_id.value, static_cast<std::int64_t>(m.aggregate_version), e.message,
                               e.reply, content_json(e.before), content_json(e.after), e.refiner, m.cause.actor_id.value);
            },
            [&](const events::SummaryApproved& e) {
                write_sql(tx, "update summaries set status = 'approved', content = $3::jsonb, version = $4, approved_at = " + at_time +
                                   ", updated_at = " + at_time + " where id = $2 and version < $4",
                               occurred_ms, e.summary_id.value, content_json(e.content), static_cast<std::int64_t>(m.aggregate_version));
            },
            [&](const events::SummaryReopened& e) {
                write_sql(tx, "update summaries set status = 'draft', approved_at = null, version = $3, updated_at = " + at_time +
                                   " where id = $2 and version < $3",
                               occurred_ms, e.summary_id.value, static_cast<std::int64_t>(m.aggregate_version));
            },
            [&](const events::SessionAnalysed& e) {
                write_sql(tx, "update sessions set status = 'analysed', version = $3, updated_at = " + at_time + " where id = $2 and version < $3",
                               occurred_ms, e.session_id.value, static_cast<std::int64_t>(m.aggregate_version));
            },
        });
}

std::optional<std::vector<SummaryRow>> session_summaries(pqxx::connection_base& connection, const commands::Actor& actor, const SessionId& session) {
    pqxx::read_transaction tx{connection};
    if (exec_prepared_sql(tx, std::string("select 1 from sessions se where ") + visible_sessions_sql + " and se.id = $3", actor.organization_id.value,
                       actor.user_id.value, session.value)
            .empty())
        return std::nullopt;
    const bool client = actor.role == "client";
    auto rows = exec_prepared_sql(tx,
        "select s.id, s.session_id, s.client_id, coalesce(c.name, ''), s.status, s.version, s.content::text, s.engagement, s.breakthrough, "
        "s.priority_score from summaries s left join clients c on c.organization_id = $1 and c.id = s.client_id "
        "where s.organization_id = $1 and s.session_id = $2 and ($3 = false or (s.status = 'approved' and s.client_id = "
        "(select client_id from users where id = $4 and organization_id = $1))) order by c.name, s.id",
        actor.organization_id.value, session.value, client, actor.user_id.value);
    std::vector<SummaryRow> out;
    for (const auto& r : rows)
        out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                       r[5].as<std::uint64_t>(), r[6].as<std::string>(), r[7].as<std::string>(), r[8].as<bool>(), r[9].as<double>()});
    return out;
}

std::span<const MigrationStep> summary_migrations() {
    static constexpr std::array<MigrationStep, 3> steps{{
        // 5: summaries, one per client per session: the content as it reads now and as the analyser drafted it.
        {5, R"sql(
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
)sql"},
        // 17: a client's latest summaries by their session's date, and their drafts, each from one index.
        {17, R"sql(
alter table summaries add column session_date date;
update summaries s set session_date = se.session_date from sessions se where se.id = s.session_id;
create index summaries_by_client_date on summaries (organization_id, client_id, session_date desc nulls last, created_at desc, id desc);
create index summaries_by_client_status on summaries (organization_id, client_id, status);
-- An organization's ids are its own: without these the planner multiplies the two selectivities and expects one
-- summary per client (and per coach), then picks an index by that.
create statistics summaries_client_dependency (dependencies) on organization_id, client_id from summaries;
create statistics summaries_coach_dependency (dependencies) on organization_id, coach_id from summaries;
drop index summaries_by_client;
)sql"},
        // 6: the refinement chat of each summary, with the content before and after every request.
        {6, R"sql(
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
)sql"},
    }};
    return steps;
}

}  // namespace debrief::projections
