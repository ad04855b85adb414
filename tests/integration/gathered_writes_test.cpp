// GatheredWrites against the real PostgreSQL: rows gathered into multi-row statements, and other writes gathered into a
// script, land exactly as the same statements one by one would, in order with the reads of the transaction.
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "projections/postgres/gathered_writes.hpp"
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
    Deployment deployment("gathered_writes");
    execute(deployment, "create table items (id text primary key, label text not null, position int not null, at timestamptz not null)");
    execute(deployment, "create table counts (n bigint not null)");
    pqxx::connection connection{deployment.postgres_url};
    {
        pqxx::work tx{connection};
        GatheredWrites inserts(tx);
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
    Deployment deployment("gathered_writes_plain");
    execute(deployment, "create table items (id text primary key, label text not null, position int not null, at timestamptz not null)");
    pqxx::connection connection{deployment.postgres_url};
    {
        pqxx::work tx{connection};
        insert_row_sql(tx, insert_item, 1'800'000'000'000.0, std::string("alone"), std::string("at once"), 1);
        CHECK(tx.exec("select count(*) from items")[0][0].as<int>() == 1);
        tx.commit();
    }
    pqxx::work tx{connection};
    GatheredWrites inserts(tx);
    insert_row_sql(tx, "insert into items (id, label, position, at) values ($1, $2, $3, now())", std::string("alone"), std::string("again"), 2);
    CHECK_THROWS(inserts.flush());  // the primary key refuses it, as it would one by one
}

TEST_CASE("gathered writes run in their order with the inserts, quoted as they were given, seen by a later read; one failing fails the flush") {
    Deployment deployment("gathered_writes_script");
    execute(deployment, "create table items (id text primary key, label text not null, position int not null, at timestamptz not null)");
    pqxx::connection connection{deployment.postgres_url};
    const std::string relabel = "update items set label = $2, position = position + $3 where id = $1";
    const std::string awkward = "it's \\ \"quoted\"; drop table items; -- ünïcode";
    {
        pqxx::work tx{connection};
        GatheredWrites writes(tx);
        for (int i = 0; i < 700; ++i) {  // more than a script holds: it is sent in parts, in order
            insert_row_sql(tx, insert_item, 1'800'000'000'000.0, "item-" + std::to_string(i), std::string("first"), i);
            write_sql(tx, relabel, "item-" + std::to_string(i), i % 2 ? awkward : std::string("second"), 1);
        }
        write_sql(tx, std::string("delete from items where position > $1"), 650);
        // A read sees every write gathered before it.
        CHECK(exec_prepared_sql(tx, "select count(*) from items where label = 'first'")[0][0].as<int>() == 0);
        CHECK(exec_prepared_sql(tx, "select count(*) from items")[0][0].as<int>() == 650);
        write_sql(tx, relabel, std::string("item-0"), std::string("after the read"), 100);
        writes.flush();
        tx.commit();
    }
    CHECK(query(deployment, "select label from items where id = 'item-0'")[0][0] == "after the read");
    CHECK(query_number(deployment, "select position from items where id = 'item-0'") == 101);
    CHECK(query(deployment, "select label from items where id = 'item-1'")[0][0] == awkward);
    CHECK(query_number(deployment, "select count(*) from items where label = $1", {awkward}) == 325);

    pqxx::work tx{connection};
    GatheredWrites writes(tx);
    write_sql(tx, relabel, std::string("item-2"), std::string("fine"), 1);
    write_sql(tx, std::string("update items set position = position / $2 where id = $1"), std::string("item-2"), 0);
    CHECK_THROWS(writes.flush());  // division by zero: the script fails when it is sent
}
