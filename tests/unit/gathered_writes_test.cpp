// The multi-row form of a projector insert: parameters renumbered row by row, and the statements that must not
// take several rows left alone.
#include <doctest/doctest.h>

#include "projections/postgres/gathered_writes.hpp"

using debrief::projections::multi_row_sql;

TEST_CASE("a single-row insert becomes one statement for several rows, its parameters renumbered per row") {
    const std::string sql = "insert into notes (id, text, created_at) values ($2, $3, to_timestamp($1::double precision / 1000)) "
                            "on conflict (id) do nothing";
    CHECK(multi_row_sql(sql, 1, 3) == sql);
    CHECK(multi_row_sql(sql, 3, 3) ==
          "insert into notes (id, text, created_at) values ($2, $3, to_timestamp($1::double precision / 1000)), "
          "($5, $6, to_timestamp($4::double precision / 1000)), ($8, $9, to_timestamp($7::double precision / 1000)) "
          "on conflict (id) do nothing");
}

TEST_CASE("a parameter used twice, many-digit parameters and quoted parentheses are kept apart") {
    const std::string sql = "insert into t (a, b, c, d) values ($10, $10::jsonb, nullif($1, '(x'), 'draft')";
    CHECK(multi_row_sql(sql, 2, 10) == "insert into t (a, b, c, d) values ($10, $10::jsonb, nullif($1, '(x'), 'draft'), "
                                       "($20, $20::jsonb, nullif($11, '(x'), 'draft')");
}

TEST_CASE("statements that cannot take several rows are refused") {
    CHECK(multi_row_sql("update notes set text = $2 where id = $1", 2, 2).empty());
    CHECK(multi_row_sql("insert into t (a) values ($1) on conflict (a) do update set a = excluded.a", 2, 1).empty());
    CHECK(multi_row_sql("insert into t (a) values ($1) on conflict (a) do nothing where a <> $2", 2, 2).empty());
    CHECK(multi_row_sql("insert into t (a) select $1", 2, 1).empty());
    CHECK(multi_row_sql("insert into t (a) values ($1", 2, 1).empty());
}
