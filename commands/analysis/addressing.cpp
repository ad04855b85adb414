// Addressing in group sessions: names used as a form of address, and words that speak to the whole group.
#include "commands/analysis/addressing.hpp"

#include <algorithm>
#include <initializer_list>

namespace debrief::analysis::detail {
namespace {

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

// Words that may come before a name at the start of a sentence: "So, Priya", "Thanks Priya", "Over to you, Tom".
bool is_opener(std::string_view w) {
    return one_of(w, {"so", "okay", "ok", "right", "thanks", "thank", "you", "and", "great", "good", "well", "hi", "hey", "now", "over",
                      "to", "alright", "nice", "brilliant", "lovely", "cool", "perfect", "yes", "yeah", "oh", "what", "about", "how",
                      "morning", "afternoon", "welcome", "back", "excellent", "fantastic", "wonderful", "then", "um", "uh"});
}

// Words before a name that show the coach is talking about that person, not to them.
bool is_reference(std::string_view w) {
    return one_of(w, {"like", "as", "with", "from", "told", "said", "asked", "about", "than", "of", "tell", "ask", "at", "for", "to",
                      "called", "named", "call", "by", "and", "or", "unlike", "whereas", "while"});
}

}  // namespace

std::vector<std::string> name_forms(std::string_view speaker) {
    std::vector<std::string> forms;
    auto words = words_of(speaker);
    if (words.empty()) return forms;
    std::string full;
    for (const auto& w : words) full += (full.empty() ? "" : " ") + w.lower;
    forms.push_back(full);
    // A generic first word ("Coach Sam", "Agent 4") is not a name to be called by.
    if (words.size() > 1 && !one_of(words[0].lower, {"coach", "agent", "client", "participant", "speaker", "team", "mr", "mrs", "ms", "dr"}))
        forms.push_back(words[0].lower);
    if (words.size() > 1 && one_of(words[0].lower, {"coach", "agent", "client", "participant", "team"})) forms.push_back(words.back().lower);
    return forms;
}

Address address_of(std::string_view sentence, const std::vector<Word>& words, const std::vector<std::vector<std::string>>& names) {
    Address address;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i].lower;
        auto next = i + 1 < words.size() ? std::string_view(words[i + 1].lower) : std::string_view();
        if (one_of(w, {"everyone", "everybody", "guys", "folks", "y'all"}) || (w == "all" && next == "of" && i + 2 < words.size() && words[i + 2].lower == "you") ||
            (w == "you" && one_of(next, {"all", "lot"})) || (one_of(w, {"each", "both"}) && next == "of") || (w == "whole" && next == "group"))
            address.group = true;
    }
    struct Hit {
        std::size_t position, client;
    };
    std::vector<Hit> hits;
    for (std::size_t c = 0; c < names.size(); ++c) {
        for (const auto& form : names[c]) {
            auto form_words = words_of(form);
            auto n = form_words.size();
            if (n == 0) continue;
            for (std::size_t p = 0; p + n <= words.size(); ++p) {
                bool same = true;
                for (std::size_t k = 0; k < n && same; ++k) same = words[p + k].lower == form_words[k].lower;
                if (!same) continue;
                bool opens = true;
                for (std::size_t k = 0; k < p && opens; ++k) opens = is_opener(words[k].lower);
                auto after = words[p + n - 1].end;
                bool set_off = after >= sentence.size() || one_of(std::string_view(&sentence[after], 1), {",", "?", ".", "!", ";", ":"});
                bool reference = p > 0 && is_reference(words[p - 1].lower) && !(p == 1 && words[0].lower == "and");
                if ((opens && !reference) || (set_off && !reference)) hits.push_back({p, c});
            }
        }
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.position < b.position; });
    for (const auto& hit : hits)
        if (std::find(address.clients.begin(), address.clients.end(), hit.client) == address.clients.end()) address.clients.push_back(hit.client);
    return address;
}

}  // namespace debrief::analysis::detail
