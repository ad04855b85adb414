// The schema migrations, gathered from every table area: numbered without a gap, each area owning its tables.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "projections/postgres/migrations.hpp"
#include "projections/postgres/table_areas.hpp"

using namespace debrief::projections;

TEST_CASE("the areas' migration steps are numbered 1..N without a gap, in order") {
    auto steps = migration_steps();
    REQUIRE_FALSE(steps.empty());
    CHECK_FALSE(misnumbered(steps).has_value());
    std::set<int> numbers;
    int previous = 0;
    for (const auto& step : steps) {
        CHECK(step.version >= previous);
        previous = step.version;
        numbers.insert(step.version);
    }
    CHECK(*numbers.begin() == 1);
    CHECK(static_cast<int>(numbers.size()) == *numbers.rbegin());
}

TEST_CASE("every table area keeps the migrations of its own tables") {
    for (const auto& area : table_areas) {
        auto steps = area.migrations();
        CHECK(steps.empty() == (area.apply == &apply_to_erasure));  // the erasure owns no table: it blanks the others' columns
        for (const auto& step : steps) {
            bool changes_tables = step.sql.find("create table") != std::string_view::npos || step.sql.find("alter table") != std::string_view::npos ||
                                  step.sql.find("create index") != std::string_view::npos;
            CHECK(changes_tables);
        }
    }
}

TEST_CASE("a gap, a number below 1 or a step without SQL is refused before any SQL runs") {
    const std::vector<MigrationStep> good{{1, "create table a (x int);"}, {1, "create table b (x int);"}, {2, "alter table a add y int;"}};
    CHECK_FALSE(misnumbered(good).has_value());
    auto gap = misnumbered({{1, "create table a (x int);"}, {3, "create table c (x int);"}});
    REQUIRE(gap.has_value());
    CHECK(gap->find("migration 2 is missing") != std::string::npos);
    CHECK(misnumbered({{0, "create table a (x int);"}}).has_value());
    CHECK(misnumbered({{1, "create table a (x int);"}, {2, " \n"}}).has_value());
}
