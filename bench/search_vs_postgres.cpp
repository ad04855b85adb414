// Debrief's search against PostgreSQL's full text (issue 10, points 8 and 9), in one run on the same corpus and the
// same queries. The corpus (search_corpus.hpp) goes into Debrief's RocksDB read model as the projector's batches,
// and into a PostgreSQL table as `tsvector` (a stored generated column, `to_tsvector('english', body)`) with a GIN
// index, ranked by `ts_rank_cd`: the usual PostgreSQL answer. Then the same top-10 queries of each kind on both,
// Debrief's block-max WAND beside its exhaustive scoring on the any-term kinds, and MRR@10 and recall@10 of both
// rankings on the judged set (tests/fixtures/search/judged.json). Prints markdown tables.
// Debrief is called in process; PostgreSQL over its local socket: the round trip of `select 1` is printed as the
// floor of every PostgreSQL figure. Debrief's figures include what its answers carry beyond PostgreSQL's (exact totals
// up to 10,000 and facets per kind and client, the ten documents read back).
// Usage: search_vs_postgres <postgres-url> <scratch-dir> <judged.json> [sessions, default 20000] [queries per kind, default 1000]
//        [events per batch, default the projector's poll]
#include <pqxx/pqxx>
#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <span>

#include "bench/percentile.hpp"
#include "bench/search_corpus.hpp"
#include "projections/search/search_index.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/text_analyzer.hpp"
#include "projections/search/transcript_store.hpp"
#include "projections/search/word_count_merge.hpp"
#include "tests/support/judged_search_set.hpp"
#include "tests/support/test_keys.hpp"

using namespace debrief;
using namespace debrief::projections;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

using bench::percentile;

template <typename F>
double timed_ms(F&& run) {
    const auto start = Clock::now();
    run();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "search_vs_postgres: %s\n", why.c_str());
    std::exit(1);
}

std::uint64_t directory_bytes(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) total += entry.file_size();
    return total;
}

// The same key for a document on both sides: a transcript turn "<session>:<turn>", a summary's section
// "<summary>/<section>", else the thing's id.
std::string key_of(const SearchDocument& d) {
    if (d.field == SearchField::transcript) return d.id + ":" + std::to_string(d.segment);
    if (kind_of(d.field) == "summary") return d.id + "/" + std::string(field_name(d.field));
    return d.id;
}
std::string key_of(const bench::CorpusDocument& d) { return d.kind == "summary" ? d.id + "/" + d.field : d.id; }

std::string array_literal(const std::vector<std::string>& values) {
    std::string out = "{";
    for (const auto& v : values) out += (out.size() > 1 ? "," : "") + v;
    return out + "}";
}

void create_table(pqxx::work& tx, const std::string& table) {
    tx.exec("create table " + table +
            " (id text not null, kind text not null, field text not null, session_id text, coach_id text, session_type text, session_date date,"
            " client_ids text[] not null, body text not null, tsv tsvector generated always as (to_tsvector('english', body)) stored)");
}

void load_rows(pqxx::work& tx, const std::string& table, const std::vector<bench::CorpusDocument>& documents) {
    pqxx::stream_to copy(tx, table, std::vector<std::string>{"id", "kind", "field", "session_id", "coach_id", "session_type", "session_date", "client_ids", "body"});
    for (const auto& d : documents) {
        auto body = d.text;
        std::replace(body.begin(), body.end(), '\n', ' ');  // COPY's text format: one row a line
        copy << std::make_tuple(key_of(d), d.kind, d.field, d.session_id, d.coach_id, d.session_type, d.date, array_literal(d.client_ids), body);
    }
    copy.complete();
}

void index_table(pqxx::work& tx, const std::string& table, const std::string& name) {
    tx.exec("create index " + name + "_tsv on " + table + " using gin (tsv)");
    tx.exec("create index " + name + "_clients on " + table + " using gin (client_ids)");
    tx.exec("create index " + name + "_date on " + table + " (session_date)");
}

// A judged query as PostgreSQL's usual answer: each word's plainto_tsquery OR-ed, each phrase's phraseto_tsquery
// AND-ed, each exclusion AND NOT-ed.
std::string tsquery_of(pqxx::work& tx, const SearchQuery& query) {
    std::string words, rest;
    for (const auto& clause : query.clauses) {
        const auto text = tx.quote(clause.text);
        if (clause.kind == QueryClause::Kind::phrase) rest += std::string(rest.empty() ? "" : " && ") + (clause.excluded ? "!!" : "") + "phraseto_tsquery('english', " + text + ")";
        else if (clause.excluded) rest += std::string(rest.empty() ? "" : " && ") + "!!plainto_tsquery('english', " + text + ")";
        else words += std::string(words.empty() ? "" : " || ") + "plainto_tsquery('english', " + text + ")";
    }
    if (words.empty()) return rest;
    return rest.empty() ? "(" + words + ")" : "(" + words + ") && " + rest;
}

struct Query {
    std::vector<std::string> words;
    bool all = false, phrase = false;
    std::string client;
    std::optional<int> from_day;  // a 30-day window
};

struct Kind {
    std::string name;
    bool any_term = false;  // exhaustive scoring is measured beside WAND
    std::vector<Query> queries;
};

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures as they come, also into a file
    if (argc < 4) return (std::fprintf(stderr, "usage: search_vs_postgres <postgres-url> <scratch-dir> <judged.json> [sessions] [queries per kind]\n"), 2);
    const std::string postgres_url = argv[1];
    const std::filesystem::path scratch = argv[2];
    const std::string judged_path = argv[3];
    const std::size_t sessions = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 20'000;
    const std::size_t per_kind = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1000;
    const std::size_t batch_events = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : SearchProjector::max_batch_records;
    if (sessions == 0 || per_kind == 0 || batch_events == 0) fail("sessions, queries and events per batch must be > 0");

    auto started = Clock::now();
    const auto corpus = bench::generate_corpus(sessions);
    const auto judged = testing::load_judged_set(judged_path);
    std::printf("corpus: %zu sessions, %zu transcript segments, %zu documents, %.1f MB of text (generated in %.1f s)\n", corpus.sessions, corpus.segments,
                corpus.documents.size(), corpus.text_bytes / 1e6, seconds_since(started));

    // Debrief: the projector's batches (as many events as one poll brings, by default), one WriteBatch each, one core.
    std::filesystem::remove_all(scratch);
    std::filesystem::create_directories(scratch);
    const auto index_dir = scratch / "rocksdb";
    auto store = TranscriptStore::open(index_dir.string(), testing::test_keys());
    if (!store) fail("open the index: " + store.error().message);
    std::int64_t offset = 0;
    started = Clock::now();
    for (std::size_t first = 0; first < corpus.events.size(); first += batch_events) {
        const auto n = std::min(batch_events, corpus.events.size() - first);
        auto refused = testing::apply_search_batch(**store, corpus.organization, std::span(corpus.events).subspan(first, n),
                                                   std::span(corpus.times_ms).subspan(first, n), offset);
        if (!refused.empty()) fail("index a batch: " + refused);
    }
    const double debrief_build_s = seconds_since(started);
    const auto judged_events = testing::judged_events(judged);
    const std::vector<std::int64_t> judged_times(judged_events.size(), 1'796'000'000'000);
    if (auto refused = testing::apply_search_batch(**store, "judged", judged_events, judged_times, offset); !refused.empty()) fail("index the judged set: " + refused);
    store->reset();

    // What the index takes, read key by key (uncompressed) and on disk (compressed SST files and the log).
    std::map<char, std::uint64_t> bytes_by_part;
    {
        rocksdb::DB* raw = nullptr;
        rocksdb::Options options;
        options.merge_operator = word_count_merge_operator();
        if (!rocksdb::DB::OpenForReadOnly(options, index_dir.string(), &raw).ok()) fail("open the index read-only");
        std::unique_ptr<rocksdb::DB> db(raw);
        const std::string prefix = "x/" + corpus.organization + "/";
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
        for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
            bytes_by_part[it->key()[prefix.size()]] += it->key().size() + it->value().size();
    }
    const auto disk_bytes = directory_bytes(index_dir);
    store = TranscriptStore::open(index_dir.string(), testing::test_keys());
    if (!store) fail("reopen the index: " + store.error().message);
    const auto index = (*store)->search();
    {
        // The first query of an organization loads its documents' columns (filters, roles, dates): not a query's cost.
        SearchRequest warm;
        warm.organization = corpus.organization;
        warm.scope.everything = true;
        warm.terms.words = {"time"};
        if (!index->search(warm)) fail("the first query");
    }

    // PostgreSQL: COPY into the table (the generated column computes each tsvector), then the indexes.
    pqxx::connection pg(postgres_url);
    const std::string schema = "bench_search";
    double postgres_build_s = 0;
    std::uint64_t pg_gin_bytes = 0, pg_table_bytes = 0, pg_tsv_bytes = 0;
    {
        pqxx::work tx(pg);
        tx.exec("set client_min_messages = warning");
        tx.exec("drop schema if exists " + schema + " cascade");
        tx.exec("create schema " + schema);
        create_table(tx, schema + ".docs");
        create_table(tx, schema + ".judged");
        tx.commit();
    }
    {
        started = Clock::now();
        pqxx::work tx(pg);
        load_rows(tx, schema + ".docs", corpus.documents);
        index_table(tx, schema + ".docs", "docs");
        tx.commit();
        postgres_build_s = seconds_since(started);
    }
    {
        std::vector<bench::CorpusDocument> rows;
        for (const auto& d : judged.documents)
            rows.push_back({d.kind, d.kind == "summary" ? d.section : "text", d.id, "", testing::judged_coach, "", "2026-10-01", {d.client}, d.text});
        pqxx::work tx(pg);
        load_rows(tx, schema + ".judged", rows);
        index_table(tx, schema + ".judged", "judged");
        tx.commit();
    }
    {
        pqxx::nontransaction tx(pg);
        tx.exec("vacuum analyze " + schema + ".docs");
        tx.exec("vacuum analyze " + schema + ".judged");
        auto sizes = tx.exec("select pg_relation_size('" + schema + ".docs_tsv'), pg_total_relation_size('" + schema + ".docs'), (select sum(pg_column_size(tsv)) from " +
                             schema + ".docs)");
        pg_gin_bytes = sizes[0][0].as<std::uint64_t>();
        pg_table_bytes = sizes[0][1].as<std::uint64_t>();
        pg_tsv_bytes = sizes[0][2].as<std::uint64_t>();
    }

    const double mb = corpus.text_bytes / 1e6;
    const auto postings = bytes_by_part['t'] + bytes_by_part['p'];
    std::uint64_t everything = 0;
    for (const auto& [part, bytes] : bytes_by_part) everything += bytes;
    std::printf("\nbatches of %zu events\n", batch_events);
    std::printf("\n| building | documents/s | MB/s of text | index | index / raw text |\n| --- | ---: | ---: | --- | ---: |\n");
    std::printf("| Debrief (RocksDB, one core) | %.0f | %.1f | dictionary and postings %.1f MB | %.2f |\n", corpus.documents.size() / debrief_build_s,
                mb / debrief_build_s, postings / 1e6, static_cast<double>(postings) / corpus.text_bytes);
    std::printf("| | | | every key (postings, stored documents, filing, suggestions) %.1f MB; on disk %.1f MB | %.2f; %.2f |\n", everything / 1e6, disk_bytes / 1e6,
                static_cast<double>(everything) / corpus.text_bytes, static_cast<double>(disk_bytes) / corpus.text_bytes);
    std::printf("| PostgreSQL (COPY, tsvector, GIN) | %.0f | %.1f | GIN %.1f MB, tsvectors %.1f MB | %.2f, %.2f |\n", corpus.documents.size() / postgres_build_s,
                mb / postgres_build_s, pg_gin_bytes / 1e6, pg_tsv_bytes / 1e6, static_cast<double>(pg_gin_bytes) / corpus.text_bytes,
                static_cast<double>(pg_tsv_bytes) / corpus.text_bytes);
    std::printf("| | | | the table with its indexes %.1f MB | %.2f |\n", pg_table_bytes / 1e6, static_cast<double>(pg_table_bytes) / corpus.text_bytes);

    // The queries: words drawn from the 3,000 most common words (stop words and hyphenated words aside) by a Zipf law,
    // phrases of two consecutive words from a transcript turn, clients and 30-day windows at random.
    TextAnalyzer analyzer;
    std::mt19937_64 random(7);
    const bench::Zipf query_zipf(3'000, 1.0);
    auto query_word = [&] {
        while (true) {
            const auto& word = corpus.words[query_zipf.draw(random)];
            if (word.find('-') == std::string::npos && analyzer.term(word)) return word;
        }
    };
    auto words_of = [&](std::size_t n) {
        std::vector<std::string> out;
        while (out.size() < n) {
            auto w = query_word();
            if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
        }
        return out;
    };
    auto phrase = [&] {
        while (true) {
            const auto& d = corpus.documents[random() % corpus.documents.size()];
            if (d.kind != "transcript") continue;
            std::vector<std::string> tokens;
            std::string token;
            for (char c : d.text + " ") {
                if (c == ' ' || c == '.') {
                    if (!token.empty()) tokens.push_back(token);
                    token.clear();
                } else {
                    token += c;
                }
            }
            for (std::size_t tries = 0; tries < 8 && tokens.size() > 1; ++tries) {
                const auto at = random() % (tokens.size() - 1);
                const auto& a = tokens[at];
                const auto& b = tokens[at + 1];
                if (a.find('-') == std::string::npos && b.find('-') == std::string::npos && analyzer.term(a) && analyzer.term(b))
                    return std::vector<std::string>{a, b};
            }
        }
    };
    std::vector<Kind> kinds = {{"1 term", true, {}},          {"2 terms, any", true, {}}, {"3 terms, any", true, {}}, {"2 terms, all", false, {}},
                               {"3 terms, all", false, {}},   {"phrase", false, {}},      {"1 term, a client", false, {}},
                               {"2 terms, 30 days", false, {}}};
    for (std::size_t q = 0; q < per_kind; ++q) {
        kinds[0].queries.push_back({words_of(1)});
        kinds[1].queries.push_back({words_of(2)});
        kinds[2].queries.push_back({words_of(3)});
        kinds[3].queries.push_back({words_of(2), true});
        kinds[4].queries.push_back({words_of(3), true});
        kinds[5].queries.push_back({phrase(), false, true});
        kinds[6].queries.push_back({words_of(1), false, false, corpus.clients[random() % corpus.clients.size()]});
        kinds[7].queries.push_back({words_of(2), false, false, "", bench::corpus_first_day + static_cast<int>(random() % (bench::corpus_days - 30))});
    }

    auto request_of = [&](const Query& query) {
        SearchRequest request;
        request.organization = corpus.organization;
        request.scope.everything = true;
        std::string text;
        for (const auto& w : query.words) text += (text.empty() ? "" : " ") + w;
        if (query.phrase) request.terms.phrases = {text};
        else request.terms.words = query.words;
        request.terms.all = query.all;
        if (!query.client.empty()) request.filters.client_ids = {query.client};
        if (query.from_day) {
            request.filters.from_day = *query.from_day;
            request.filters.to_day = *query.from_day + 29;
        }
        return request;
    };
    auto debrief_keys = [&](const SearchRequest& request) {
        auto answer = index->search(request);
        if (!answer) fail("Debrief refused a query: " + answer.error().message);
        std::vector<std::string> keys;
        for (const auto& hit : answer->hits) keys.push_back(key_of(hit.document));
        return keys;
    };

    const std::string table = schema + ".docs";
    const std::string ranked = " order by ts_rank_cd(tsv, q) desc limit 10";
    pg.prepare("words", "select id from " + table + ", to_tsquery('english', $1) q where tsv @@ q" + ranked);
    pg.prepare("phrase", "select id from " + table + ", phraseto_tsquery('english', $1) q where tsv @@ q" + ranked);
    pg.prepare("client", "select id from " + table + ", to_tsquery('english', $1) q where tsv @@ q and client_ids @> array[$2]::text[]" + ranked);
    pg.prepare("dates", "select id from " + table + ", to_tsquery('english', $1) q where tsv @@ q and session_date between $2::date and $3::date" + ranked);
    pg.prepare("noop", "select 1");
    auto postgres_keys = [&](pqxx::work& tx, const Query& query) {
        std::string text;
        for (const auto& w : query.words) text += (text.empty() ? "" : (query.phrase ? " " : query.all ? " & " : " | ")) + w;
        pqxx::result rows;
        if (query.phrase) rows = tx.exec_prepared("phrase", text);
        else if (!query.client.empty()) rows = tx.exec_prepared("client", text, query.client);
        else if (query.from_day) rows = tx.exec_prepared("dates", text, bench::date_of_day(*query.from_day), bench::date_of_day(*query.from_day + 29));
        else rows = tx.exec_prepared("words", text);
        std::vector<std::string> keys;
        for (const auto& row : rows) keys.push_back(row[0].as<std::string>());
        return keys;
    };

    std::vector<double> floor;
    {
        pqxx::work tx(pg);
        for (int i = 0; i < 1000; ++i) floor.push_back(timed_ms([&] { tx.exec_prepared("noop"); }));
    }
    std::printf("\nPostgreSQL's round trip (`select 1` over the local socket): p50 %.3f ms, p99 %.3f ms\n", percentile(floor, 0.5), percentile(floor, 0.99));
    std::printf("\n| top 10, %zu queries each | Debrief p50 ms | p99 ms | PostgreSQL p50 ms | p99 ms | PostgreSQL / Debrief, p50 and p99 | "
                "Debrief exhaustive p50 ms | p99 ms | exhaustive / WAND, p50 and p99 | top-10 overlap |\n",
                per_kind);
    std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (const auto& kind : kinds) {
        std::vector<double> debrief, exhaustive, postgres;
        double overlap = 0;
        pqxx::work tx(pg);
        for (const auto& query : kind.queries) {
            auto request = request_of(query);
            std::vector<std::string> ours, theirs;
            debrief.push_back(timed_ms([&] { ours = debrief_keys(request); }));
            if (kind.any_term) {
                request.skip_blocks = false;
                std::vector<std::string> every;
                exhaustive.push_back(timed_ms([&] { every = debrief_keys(request); }));
                if (every.size() != ours.size()) fail("WAND and exhaustive scoring disagree on " + kind.name);
            }
            postgres.push_back(timed_ms([&] { theirs = postgres_keys(tx, query); }));
            std::set<std::string> mine(ours.begin(), ours.end());
            std::size_t shared = 0;
            for (const auto& key : theirs) shared += mine.contains(key);
            overlap += theirs.empty() && ours.empty() ? 1.0 : static_cast<double>(shared) / std::max(ours.size(), theirs.size());
        }
        const double d50 = percentile(debrief, 0.5), d99 = percentile(debrief, 0.99), p50 = percentile(postgres, 0.5), p99 = percentile(postgres, 0.99);
        std::printf("| %s | %.3f | %.3f | %.3f | %.3f | %.1fx, %.1fx |", kind.name.c_str(), d50, d99, p50, p99, p50 / d50, p99 / d99);
        if (kind.any_term) {
            const double e50 = percentile(exhaustive, 0.5), e99 = percentile(exhaustive, 0.99);
            std::printf(" %.3f | %.3f | %.1fx, %.1fx |", e50, e99, e50 / d50, e99 / d99);
        } else {
            std::printf(" | | |");
        }
        std::printf(" %.2f |\n", overlap / kind.queries.size());
    }

    // Relevance on the judged set: both engines, the same typed queries.
    double debrief_rr = 0, debrief_recall = 0, postgres_rr = 0, postgres_recall = 0;
    {
        pqxx::work tx(pg);
        for (const auto& judged_query : judged.queries) {
            auto parsed = parse_search_query(judged_query.q);
            if (!parsed) fail("judged query '" + judged_query.q + "': " + parsed.error().message);
            SearchRequest request;
            request.organization = "judged";
            request.scope.everything = true;
            request.terms = search_terms(*parsed, false);
            auto answer = index->search(request);
            if (!answer) fail("judged query '" + judged_query.q + "': " + answer.error().message);
            std::vector<std::string> ours;
            for (const auto& hit : answer->hits)
                if (std::find(ours.begin(), ours.end(), hit.document.id) == ours.end()) ours.push_back(hit.document.id);
            std::vector<std::string> theirs;
            for (const auto& row : tx.exec("select id from " + schema + ".judged, (select " + tsquery_of(tx, *parsed) + " as q) query where tsv @@ q" + ranked))
                theirs.push_back(row[0].as<std::string>().substr(0, row[0].as<std::string>().find('/')));  // a summary's section: the summary
            debrief_rr += testing::reciprocal_rank_at_10(ours, judged_query.relevant);
            debrief_recall += testing::recall_at_10(ours, judged_query.relevant);
            postgres_rr += testing::reciprocal_rank_at_10(theirs, judged_query.relevant);
            postgres_recall += testing::recall_at_10(theirs, judged_query.relevant);
        }
    }
    const double n = static_cast<double>(judged.queries.size());
    std::printf("\n| judged set: %zu queries over %zu documents | MRR@10 | recall@10 |\n| --- | ---: | ---: |\n", judged.queries.size(), judged.documents.size());
    std::printf("| Debrief (BM25, field boosts) | %.3f | %.3f |\n", debrief_rr / n, debrief_recall / n);
    std::printf("| PostgreSQL (ts_rank_cd) | %.3f | %.3f |\n", postgres_rr / n, postgres_recall / n);

    {
        pqxx::work tx(pg);
        tx.exec("drop schema " + schema + " cascade");
        tx.commit();
    }
    store->reset();
    std::filesystem::remove_all(scratch);
    return 0;
}
