// Ranking and near-duplicate detection over content-word sets, computed once per phrase.
#include "commands/analysis/ranking.hpp"

#include <algorithm>
#include <set>

#include "commands/analysis/phrasing.hpp"
#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {
namespace {

constexpr double similar_overlap = 0.8;
constexpr double similar_jaccard = 0.6;

using WordSet = std::set<std::string>;

WordSet word_set(std::string_view phrase) {
    auto words = content_words(phrase);
    return WordSet(words.begin(), words.end());
}

bool similar(const WordSet& sa, const WordSet& sb, std::string_view a, std::string_view b) {
    if (sa.empty() || sb.empty()) return to_lower(a) == to_lower(b);
    std::size_t common = 0;
    for (const auto& w : sa) common += sb.count(w);
    auto smaller = std::min(sa.size(), sb.size());
    auto both = sa.size() + sb.size() - common;
    return (smaller >= 2 && static_cast<double>(common) / smaller >= similar_overlap) ||
           static_cast<double>(common) / both >= similar_jaccard;
}

template <typename T>
void best_first(std::vector<T>& items) {
    std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.score != b.score ? a.score > b.score : a.order < b.order; });
}

}  // namespace

bool similar(std::string_view a, std::string_view b) { return similar(word_set(a), word_set(b), a, b); }

std::vector<std::string> rank(std::vector<Candidate> items) {
    best_first(items);
    std::vector<std::string> kept;
    std::vector<WordSet> kept_words;
    for (auto& item : items) {
        if (kept.size() == max_items_per_list) break;
        auto words = word_set(item.text);
        bool duplicate = false;
        for (std::size_t k = 0; k < kept.size() && !duplicate; ++k) duplicate = similar(kept_words[k], words, kept[k], item.text);
        if (duplicate) continue;
        kept.push_back(std::move(item.text));
        kept_words.push_back(std::move(words));
    }
    return kept;
}

std::vector<ActionItemDraft> rank(std::vector<ActionCandidate> actions) {
    best_first(actions);
    std::vector<ActionItemDraft> kept;
    std::size_t client_items = 0, coach_items = 0;
    for (auto& action : actions) {
        bool coach = action.draft.owner == "coach";
        auto& count = coach ? coach_items : client_items;
        if (count == (coach ? max_coach_action_items : max_items_per_list)) continue;
        bool duplicate = std::any_of(kept.begin(), kept.end(), [&](const ActionItemDraft& k) {
            return k.owner == action.draft.owner && similar(k.title, action.draft.title);
        });
        if (duplicate) continue;
        ++count;
        kept.push_back(std::move(action.draft));
    }
    return kept;
}

std::vector<Candidate> without_taken_on(std::vector<Candidate> recommendations, const std::vector<ActionItemDraft>& actions) {
    std::vector<std::pair<WordSet, std::string_view>> taken_on;
    for (const auto& a : actions)
        if (a.owner == "client") taken_on.emplace_back(word_set(a.title), a.title);
    std::erase_if(recommendations, [&](const Candidate& r) {
        auto words = word_set(r.text);
        return std::any_of(taken_on.begin(), taken_on.end(), [&](const auto& a) { return similar(a.first, words, a.second, r.text); });
    });
    return recommendations;
}

}  // namespace debrief::analysis::detail
