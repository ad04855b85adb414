// BatchedInserts against the real PostgreSQL: rows gathered into multi-row statements land exactly as the same inserts
// one by one would, in order with the other statements of the transaction.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "projections/postgres/batched_inserts.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
using namespace debrief::projections;

namespace {
const std::string insert_item = "insert into items (id, label, position, at) values ($2, $3, $4, to_timestamp($1::double precision / 1000)) "
                                "on conflict (id) do nothing";
}

TEST_CASE("gathered inserts are written in order with the statements around them, duplicates kept out as one by one") {
    Deployment deployment("batched_inserts");
    execute(deployment, "create table items (id text primary key, label text not null, position int not null, at timestamptz not null)");
    execute(deployment, "create table counts (n bigint not null)");
    pqxx::connection connection{deployment.postgres_url};
    {
        pqxx::work tx{connection};
        BatchedInserts inserts(tx);
        for (int i = 0; i < 90; ++i)  // 64 + 16 + 4 + 4 + 1 + 1 rows
            insert_row_sql(tx, insert_item, 1'800'000'000'000.0, "item-" + std::to_string(i), "first " + std::to_string(i), i);
        insert_row_sql(tx, insert_item, 1'800'000'000'000.0, std::string("item-3"), std::string("a duplicate"), 1000);
        // Another statement sees every row gathered before it.
        exec_prepared_sql(tx, "insert into counts (n) select count(*) from items");
        insert_row_sql(tx, insert_item, 1'800'000'000'000.0, std::string("item-late"), std::string("after the count"), 2000);
        inserts.flush();
        tx.commit();
    }
    CHECK(query_number(deployment, "select count(*) from items") == 91);
    CHECK(query_number(deployment, "select n from counts") == 90);
    CHECK(query(deployment, "select label from items where id = 'item-3'")[0][0] == "first 3");  // the first row wins
    CHECK(query_number(deployment, "select sum(position) from items") == 89 * 90 / 2 + 2000);
    CHECK(query_number(deployment, "select count(*) from items where at = to_timestamp(1800000000)") == 91);
}

TEST_CASE("without a gathering scope an insert runs at once, and a failing run fails the transaction") {
    Deployment deployment("batched_inserts_plain");
    execute(deployment, "create table items (id text primary key, label text not null, position int not null, at timestamptz not null)");
    pqxx::connection connection{deployment.postgres_url};
    {
        pqxx::work tx{connection};
        insert_row_sql(tx, insert_item, 1'800'000'000'000.0, std::string("alone"), std::string("at once"), 1);
        CHECK(tx.exec("select count(*) from items")[0][0].as<int>() == 1);
        tx.commit();
    }
    pqxx::work tx{connection};
    BatchedInserts inserts(tx);
    insert_row_sql(tx, "insert into items (id, label, position, at) values ($1, $2, $3, now())", std::string("alone"), std::string("again"), 2);
    CHECK_THROWS(inserts.flush());  // the primary key refuses it, as it would one by one
}
