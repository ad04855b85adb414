// Relevance is checked, not assumed (issue 10, point 9): the judged set's queries, typed as a coach would, against
// its corpus in a real RocksDB read model; recall@10 and MRR@10 must not fall below what the ranking reaches today.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "projections/search/search_index.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/transcript_store.hpp"
#include "tests/support/judged_search_set.hpp"
#include "tests/support/test_keys.hpp"

namespace debrief::projections {

TEST_CASE("search relevance: the judged set's documents come first (recall@10, MRR@10)") {
    const auto set = testing::load_judged_set(std::string(DEBRIEF_SOURCE_DIR) + "/tests/fixtures/search/judged.json");
    REQUIRE(set.queries.size() >= 30);
    std::set<std::string> ids;
    for (const auto& d : set.documents) CHECK_MESSAGE(ids.insert(d.id).second, "duplicate id " << d.id);
    for (const auto& q : set.queries) {
        REQUIRE_FALSE(q.relevant.empty());
        for (const auto& id : q.relevant) CHECK_MESSAGE(ids.contains(id), q.q << ": no document " << id);
    }

    const auto dir = std::filesystem::temp_directory_path() / ("debrief-relevance-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    {
        auto store = TranscriptStore::open(dir.string(), testing::test_keys()).value();
        const auto events = testing::judged_events(set);
        std::int64_t offset = 0;
        REQUIRE(testing::apply_search_batch(*store, "judged", events, std::vector<std::int64_t>(events.size(), 1'796'000'000'000), offset).empty());

        double recall = 0, reciprocal_rank = 0;
        std::size_t found_first = 0;
        for (const auto& q : set.queries) {
            auto parsed = parse_search_query(q.q);
            REQUIRE_MESSAGE(parsed, q.q);
            SearchRequest request;
            request.organization = "judged";
            request.scope.everything = true;
            request.terms = search_terms(*parsed, false);
            auto answer = store->search()->search(request);
            REQUIRE(answer);
            std::vector<std::string> ranked;
            for (const auto& hit : answer->hits)
                if (std::find(ranked.begin(), ranked.end(), hit.document.id) == ranked.end()) ranked.push_back(hit.document.id);
            const double r = testing::recall_at_10(ranked, q.relevant);
            const double rr = testing::reciprocal_rank_at_10(ranked, q.relevant);
            if (rr < 1.0) MESSAGE(q.q << ": recall@10 " << r << ", first relevant at " << (rr > 0 ? 1 / rr : 0) << ", ranked " << (ranked.empty() ? "" : ranked[0]));
            found_first += !ranked.empty() && ranked[0] == q.relevant[0];
            recall += r;
            reciprocal_rank += rr;
        }
        const double n = static_cast<double>(set.queries.size());
        MESSAGE("judged set: " << set.queries.size() << " queries, recall@10 " << recall / n << ", MRR@10 " << reciprocal_rank / n << ", the most relevant first in "
                               << found_first);
        // Floors a little under what the ranking reaches today (recall@10 0.99, MRR@10 1.0; docs/search.md): a change
        // that ranks worse fails here.
        CHECK(recall / n >= 0.95);
        CHECK(reciprocal_rank / n >= 0.9);
    }
    std::filesystem::remove_all(dir);
}

}  // namespace debrief::projections
