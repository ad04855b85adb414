// Every PostgreSQL read of the dashboards against rows whose nullable columns are all NULL: no read may throw
// (a throw is a 503 for everyone in the organization), and the test itself checks that it covers every nullable
// column of the schema, so a column added later without a NULL row here fails it.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "projections/postgres/action_item_tables.hpp"
#include "projections/postgres/dead_letter_table.hpp"
#include "projections/postgres/follow_up_tables.hpp"
#include "projections/postgres/metrics_tables.hpp"
#include "projections/postgres/migrations.hpp"
#include "projections/postgres/note_tables.hpp"
#include "projections/postgres/people_tables.hpp"
#include "projections/postgres/session_tables.hpp"
#include "projections/postgres/summary_tables.hpp"
#include "projections/postgres/template_tables.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;

namespace {

constexpr const char* organization = "00000000-0000-4000-8000-000000000001";
constexpr const char* admin = "00000000-0000-4000-8000-0000000000a1";
constexpr const char* coach = "00000000-0000-4000-8000-0000000000c1";
constexpr const char* client_user = "00000000-0000-4000-8000-0000000000d1";
constexpr const char* client = "00000000-0000-4000-8000-0000000000e1";
constexpr const char* session = "00000000-0000-4000-8000-0000000000f1";
constexpr const char* summary = "00000000-0000-4000-8000-000000000101";
constexpr const char* undated_item = "00000000-0000-4000-8000-000000000201";
constexpr const char* late_item = "00000000-0000-4000-8000-000000000202";
constexpr const char* follow_up = "00000000-0000-4000-8000-000000000301";
constexpr const char* metrics_import = "00000000-0000-4000-8000-000000000401";

// One row per table with every nullable column left NULL, as the projectors write them when an optional field is
// absent (plus rows the projectors never write, such as an approved summary without approved_at).
void insert_rows_with_nulls(const Deployment& deployment) {
    pqxx::connection connection{deployment.postgres_url};
    pqxx::work tx{connection};
    tx.exec_params("insert into organizations (id, name, created_at) values ($1, 'Nulls Inc', now())", organization);
    for (auto [id, role] : {std::pair{admin, "admin"}, {coach, "coach"}})
        tx.exec_params("insert into users (id, organization_id, name, email, role, created_at) values ($1, $2, $3, $4, $5, now())", id,
                       organization, std::string("User ") + role, std::string(role) + "@nulls.example.com", role);
    tx.exec_params("insert into clients (id, organization_id, coach_id, name, source, version, created_at, updated_at) "
                   "values ($1, $2, $3, 'Nora Null', 'manual', 1, now(), now())",
                   client, organization, coach);
    tx.exec_params("insert into users (id, organization_id, name, email, role, client_id, created_at) "
                   "values ($1, $2, 'Nora Null', 'nora@nulls.example.com', 'client', $3, now())",
                   client_user, organization, client);
    tx.exec_params("insert into sessions (id, organization_id, coach_id, session_date, session_type, status, version, created_at, updated_at) "
                   "values ($1, $2, $3, '2024-02-29', 'individual', 'created', 1, now(), now())",
                   session, organization, coach);
    tx.exec_params("insert into session_participants (session_id, organization_id, ordinal, name, speaking_seconds, word_count, turn_count) "
                   "values ($1, $2, 0, 'Unknown', 0, 0, 0)",
                   session, organization);
    tx.exec_params("insert into session_participants (session_id, organization_id, ordinal, name, speaking_seconds, word_count, turn_count, "
                   "client_id) values ($1, $2, 1, 'Nora', 0, 0, 0, $3)",
                   session, organization, client);
    tx.exec_params("insert into summaries (id, organization_id, session_id, client_id, coach_id, status, version, content, drafted, engagement, "
                   "breakthrough, priority_score, analyser, created_at, updated_at) values ($1, $2, $3, $4, $5, 'approved', 2, "
                   "'{\"wins\":[],\"challenges\":[],\"action_items\":[{\"title\":\"t\",\"owner_id\":\"o\",\"due_date\":null}],"
                   "\"coach_recommendations\":[]}', '{}', 'silent', false, 0, 'builtin', now(), now())",
                   summary, organization, session, client, coach);
    for (auto [id, due] : {std::pair{undated_item, "null"}, {late_item, "'2000-01-01'::date"}})
        tx.exec_params("insert into action_items (id, organization_id, client_id, coach_id, title, owner_id, due_date, status, source, version, "
                       "created_at, updated_at) values ($1, $2, $3, $4, 'Call back', $3, " +
                           std::string(due) + ", 'open', 'manual', 1, now(), now())",
                       id, organization, client, coach);
    tx.exec_params("insert into notes (id, organization_id, client_id, coach_id, text, created_at) values (gen_random_uuid(), $1, $2, $3, 'n', now())",
                   organization, client, coach);
    tx.exec_params("insert into templates (id, organization_id, kind, name, subject, body, version, created_at, updated_at) "
                   "values (gen_random_uuid(), $1, 'summary', 'Plain', '', 'b', 1, now(), now())",
                   organization);
    tx.exec_params("insert into follow_ups (id, organization_id, summary_id, session_id, client_id, coach_id, template_id, recipient, subject, body, "
                   "status, version, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, 'system:email', 'nora@nulls.example.com', 's', 'b', "
                   "'draft', 1, now(), now())",
                   follow_up, organization, summary, session, client, coach);
    tx.exec_params("insert into metrics_imports (id, organization_id, importer_id, file_name, status, row_count, metrics, version, created_at) "
                   "values ($1, $2, $3, '', 'staged', 1, '[\"csat\"]', 1, now())",
                   metrics_import, organization, admin);
    // A row naming a client the read model does not hold (yet): the preview's left join yields a NULL name.
    tx.exec_params("insert into metrics_import_rows (import_id, organization_id, row_number, client_id, metric_date, metric_values) "
                   "values ($1, $2, 2, gen_random_uuid()::text, '9999-12-31', '{\"csat\":4.5}')",
                   metrics_import, organization);
    // A dead letter never retried: retried_at is NULL.
    tx.exec_params("insert into projection_dead_letters (projector, topic, partition, \"offset\", organization_id, event_type, event_id, "
                   "error, payload, status, at) values ('postgres', 'debrief.events', 0, 7, $1, '', '', 'e', '', 'dead', now())",
                   organization);
    tx.commit();
}

commands::Actor as(const char* user, const char* role) { return {UserId{user}, OrganizationId{organization}, role}; }

}  // namespace

TEST_CASE("every read of the PostgreSQL read model answers when every nullable column is NULL") {
    Deployment deployment("nullable");
    REQUIRE(projections::migrate(deployment.postgres_url));
    insert_rows_with_nulls(deployment);

    // The guard of this test's own coverage: every nullable column of the schema is NULL in some row above.
    for (const auto& column : query(deployment, "select table_name, column_name from information_schema.columns "
                                                "where table_schema = 'public' and is_nullable = 'YES' order by 1, 2")) {
        INFO("nullable column " << column[0] << "." << column[1] << " has no NULL row in this test: add one");
        CHECK(query_number(deployment, "select count(*) from " + column[0] + " where " + column[1] + " is null") > 0);
    }

    pqxx::connection connection{deployment.postgres_url};
    for (const auto& actor : {as(admin, "admin"), as(coach, "coach"), as(client_user, "client")}) {
        INFO("as " << actor.role);
        auto items = projections::list_action_items(connection, actor, {});
        REQUIRE(items.size() == 2);
        CHECK(items[0].id == late_item);  // dated first, undated last
        CHECK(items[0].overdue);
        CHECK(items[1].id == undated_item);
        CHECK(items[1].due_date.empty());
        CHECK_FALSE(items[1].overdue);  // no due date: never overdue
        CHECK(items[1].session_id.empty());
        CHECK(items[1].summary_id.empty());
        auto overdue = projections::list_action_items(connection, actor, {"", "", "overdue"});
        REQUIRE(overdue.size() == 1);
        CHECK(overdue[0].id == late_item);

        auto prep = projections::session_prep(connection, actor, ClientId{client});
        REQUIRE(prep);
        CHECK(prep->client.email.empty());
        CHECK(prep->client.team.empty());
        CHECK(prep->client.tags.empty());
        CHECK(prep->open_action_items.size() == 2);
        CHECK(prep->unaddressed_notes.size() == 1);
        REQUIRE(prep->last_approved_summary);
        CHECK(prep->last_approved_session_date == "2024-02-29");
        CHECK(prep->recent_metrics.empty());

        CHECK(projections::list_clients(connection, actor).size() == 1);
        auto session_row = projections::find_session(connection, actor, SessionId{session});
        REQUIRE(session_row);
        REQUIRE(session_row->participants.size() == 2);
        CHECK(session_row->participants[0].client_id.empty());
        auto summaries = projections::session_summaries(connection, actor, SessionId{session});
        REQUIRE(summaries);
        CHECK(summaries->size() == 1);

        auto follow_ups = projections::list_follow_ups(connection, actor, {});
        if (actor.role == "client") {
            CHECK(follow_ups.empty());  // the row is a draft: the coach's work, not sent to the client (minimum necessary)
        } else {
            REQUIRE(follow_ups.size() == 1);
            CHECK(follow_ups[0].send_at.empty());
            CHECK(follow_ups[0].sent_at.empty());
            CHECK(follow_ups[0].next_attempt_at.empty());
            CHECK(follow_ups[0].last_error.empty());
            CHECK(follow_ups[0].channel.empty());
        }
        CHECK(projections::client_metric_series(connection, OrganizationId{organization}, ClientId{client}, 2).empty());

        auto users = projections::list_users(connection, actor, "");
        REQUIRE_FALSE(users.empty());
        for (const auto& user : users) {
            CHECK(user.voice_profile.empty());
            CHECK(user.notification_preferences.empty());
            CHECK(user.lead_id.empty());
        }
    }

    auto admin_actor = as(admin, "admin");
    auto templates = projections::list_templates(connection, admin_actor, "");
    REQUIRE(templates.size() == 1);
    CHECK(templates[0].owner_id.empty());
    auto found = projections::find_metrics_import(connection, admin_actor, MetricsImportId{metrics_import});
    REQUIRE(found);
    CHECK(found->settled_at.empty());
    CHECK(found->file_name.empty());
    CHECK(found->client_count == 1);
    auto preview = projections::metrics_import_preview(connection, admin_actor, MetricsImportId{metrics_import}, 10);
    REQUIRE(preview.size() == 1);
    CHECK(preview[0].client_name.empty());
    CHECK(preview[0].date == "9999-12-31");
    auto letters = projections::list_dead_letters(connection, OrganizationId{organization}, 10);
    REQUIRE(letters.size() == 1);
    CHECK(letters[0].status == "dead");
    CHECK(letters[0].offset == 7);
}
