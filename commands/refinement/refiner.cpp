// Refinement requests as a small grammar over the lower-cased message; each one edits one list of the summary.
#include "commands/refinement/refiner.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <sstream>

#include "commands/analysis/due_dates.hpp"
#include "commands/text_rules.hpp"

namespace debrief::refinement {
namespace {

enum class Section { wins, challenges, action_items, recommendations };

constexpr std::size_t max_item_length = 300;
constexpr std::size_t short_item_words = 10;
constexpr std::size_t short_list_items = 3;
constexpr std::string_view growth_prefix = "Growth area: ";

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view text) { return std::string(commands::trim(text)); }

std::string capitalised(std::string text) {
    text = trim(text);
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

std::optional<Section> section_of(const std::string& word) {
    if (word.starts_with("win")) return Section::wins;
    if (word.starts_with("challenge")) return Section::challenges;
    if (word.starts_with("action")) return Section::action_items;
    if (word.starts_with("recommendation") || word.starts_with("coach recommendation")) return Section::recommendations;
    return std::nullopt;
}

std::string_view name_of(Section section, bool plural) {
    switch (section) {
        case Section::wins: return plural ? "wins" : "win";
        case Section::challenges: return plural ? "challenges" : "challenge";
        case Section::action_items: return plural ? "action items" : "action item";
        case Section::recommendations: return plural ? "recommendations" : "recommendation";
    }
    return "";
}

std::vector<std::string>& texts(events::SummaryContent& content, Section section) {
    switch (section) {
        case Section::wins: return content.wins;
        case Section::challenges: return content.challenges;
        case Section::recommendations: return content.coach_recommendations;
        case Section::action_items: break;
    }
    static std::vector<std::string> none;
    return none;  // unreachable: action items are handled apart
}

std::size_t size_of(const events::SummaryContent& content, Section section) {
    return section == Section::action_items ? content.action_items.size() : texts(const_cast<events::SummaryContent&>(content), section).size();
}

std::optional<std::size_t> ordinal(const std::string& word) {
    static const std::vector<std::string> words{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};
    if (auto it = std::find(words.begin(), words.end(), word); it != words.end()) return static_cast<std::size_t>(it - words.begin()) + 1;
    if (word == "last") return 0;  // resolved against the list's size
    try {
        std::size_t used = 0;
        auto n = std::stoul(word, &used);
        if (used == word.size() && n >= 1) return n;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// An action item from free text: its due date resolved against the session date and taken out of the title.
events::ActionItemDraft action_from(std::string_view text, const RefineContext& context, const std::string& owner) {
    std::string title(text);
    std::string due;
    if (auto match = analysis::find_due_date(title, context.session_date)) {
        due = match->date;
        title = trim(title.substr(0, match->begin)) + (match->end < title.size() ? " " + trim(title.substr(match->end)) : "");
    }
    return {capitalised(title), owner, due};
}

std::string owner_for(const std::string& text_lower, const RefineContext& context) {
    return (text_lower.starts_with("coach:") || text_lower.find("(coach)") != std::string::npos) ? context.coach_id.value : context.client_id.value;
}

std::string strip_owner_marker(std::string text) {
    for (std::string_view marker : {"coach:", "(coach)"}) {
        auto lowered = lower(text);
        if (auto at = lowered.find(marker); at != std::string::npos) text.erase(at, marker.size());
    }
    return trim(text);
}

std::vector<std::string> split_items(std::string_view text) {
    std::vector<std::string> items;
    std::string current;
    for (char c : text) {
        if (c == ';' || c == '\n') {
            if (auto item = capitalised(current); !item.empty()) items.push_back(item);
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto item = capitalised(current); !item.empty()) items.push_back(item);
    return items;
}

// At most short_item_words words, cut at the first clause break past the third word.
std::string shortened(const std::string& item) {
    std::istringstream words(item);
    std::string word, out;
    std::size_t count = 0;
    while (words >> word) {
        if (count == short_item_words) break;
        if (!out.empty()) out += ' ';
        out += word;
        ++count;
        if (count >= 3 && (word.back() == ',' || word.back() == ';')) break;
    }
    while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) out.pop_back();
    return capitalised(out.empty() ? item : out);
}

Error unsupported(const RefineContext& context) {
    std::string list;
    for (const auto& example : supported_requests()) list += (list.empty() ? "" : "; ") + example;
    return invalid("refinement_unsupported", std::string(context.assistant_unavailable ? "the assistant is unavailable right now; without it "
                                                                                      : "without an LLM provider ") +
                                                 "I can do these: " + list);
}

Error out_of_range(Section section, std::size_t n, std::size_t size) {
    return invalid("refinement_out_of_range", "there is no " + std::string(name_of(section, false)) + " " + std::to_string(n) + "; the summary has " +
                                                  std::to_string(size) + " " + std::string(name_of(section, size != 1)));
}

}  // namespace

const std::vector<std::string>& supported_requests() {
    static const std::vector<std::string> requests{
        "shorten the wins (or challenges, action items, recommendations, everything)",
        "remove action item 2 (or win, challenge, recommendation; a number, 'first' or 'last')",
        "add action item: call the supplier by Friday (prefix 'coach:' for the coach's own)",
        "add win: ... / add challenge: ... / add recommendation: ...",
        "edit action item 2: ... (or win, challenge, recommendation)",
        "rewrite challenges: first; second (or wins, recommendations)",
        "move action item 1 to next Monday",
        "assign action item 1 to the coach (or the client)",
        "more encouraging",
    };
    return requests;
}

std::optional<Error> check_message(std::string_view message) {
    auto trimmed = commands::trim(message);
    if (trimmed.empty()) return invalid("invalid_field", "message must not be empty");
    if (trimmed.size() > max_message_length) return invalid("invalid_field", "message must be at most 2000 characters");
    return std::nullopt;
}

Result<Refinement> refine(const events::SummaryContent& before, std::string_view message, const RefineContext& context) {
    if (auto bad = check_message(message)) return *bad;
    auto original = trim(message);
    auto text = lower(original);
    while (!text.empty() && (text.back() == '.' || text.back() == '!' || text.back() == '?')) text.pop_back();

    static const std::string section_words = "(wins?|challenges?|action items?|actions?|(?:coach )?recommendations?)";
    static const std::regex remove_re("^(?:please )?(?:remove|delete|drop) (?:the )?" + section_words + " (?:#|no\\.? ?)?(\\w+)$");
    static const std::regex remove_ordinal_re("^(?:please )?(?:remove|delete|drop) (?:the )?(\\w+) " + section_words + "$");
    static const std::regex add_re("^(?:please )?add (?:an? |another )?" + section_words + " ?: ?(.+)$");
    static const std::regex edit_re("^(?:please )?(?:edit|change|update|reword) (?:the )?" + section_words + " (?:#|no\\.? ?)?(\\w+) ?(?::|to) ?(.+)$");
    static const std::regex rewrite_re("^(?:please )?(?:rewrite|replace) (?:the )?" + section_words + " ?(?::|with) ?(.+)$");
    static const std::regex shorten_re("^(?:please )?(?:shorten|trim|tighten|condense)(?: the)?(?: " + section_words + "| everything| it| all| the summary| summary)?$");
    static const std::regex move_re("^(?:please )?(?:move|reschedule|push|set) (?:the )?action items? (?:#|no\\.? ?)?(\\w+) (?:to|due|for) (.+)$");
    static const std::regex assign_re("^(?:please )?(?:assign|give) (?:the )?action items? (?:#|no\\.? ?)?(\\w+) to (?:the )?(coach|me|client|them|.+)$");
    static const std::regex tone_re("^(?:please )?(?:make (?:it|this|the summary) )?(?:sound )?(?:a bit |much )?more (?:encouraging|positive|supportive|upbeat)(?:,? please)?$");

    Refinement result{before, {}};
    auto& after = result.after;
    std::smatch m;
    // Lower-casing keeps byte offsets, so a group's text as the coach typed it sits at the same place in the original.
    auto as_typed = [&](int group) { return trim(original.substr(static_cast<std::size_t>(m.position(group)), static_cast<std::size_t>(m.length(group)))); };

    auto index_in = [&](Section section, const std::string& word) -> Result<std::size_t> {
        auto n = ordinal(word);
        if (!n) return unsupported(context);
        auto size = size_of(after, section);
        std::size_t index = *n == 0 ? size : *n;  // "last"
        if (index == 0 || index > size) return out_of_range(section, *n == 0 ? 0 : *n, size);
        return index - 1;
    };

    bool by_ordinal = false;
    if (std::regex_match(text, m, remove_re) || (by_ordinal = std::regex_match(text, m, remove_ordinal_re))) {
        auto section = section_of(m[by_ordinal ? 2 : 1].str());
        auto which = m[by_ordinal ? 1 : 2].str();
        if (!section) return unsupported(context);
        auto index = index_in(*section, which);
        if (!index) return index.error();
        if (*section == Section::action_items) {
            result.reply = "Removed action item " + std::to_string(*index + 1) + ": " + after.action_items[*index].title + ".";
            after.action_items.erase(after.action_items.begin() + static_cast<long>(*index));
        } else {
            auto& list = texts(after, *section);
            result.reply = "Removed " + std::string(name_of(*section, false)) + " " + std::to_string(*index + 1) + ": " + list[*index] + ".";
            list.erase(list.begin() + static_cast<long>(*index));
        }
    } else if (std::regex_match(text, m, add_re)) {
        auto section = section_of(m[1].str());
        if (!section) return unsupported(context);
        auto item_text = as_typed(2);
        if (item_text.size() > max_item_length) return invalid("invalid_field", "an item is at most 300 characters");
        if (*section == Section::action_items) {
            auto owner = owner_for(lower(item_text), context);
            auto item = action_from(strip_owner_marker(item_text), context, owner);
            if (item.title.empty()) return invalid("invalid_field", "the action item needs a title");
            result.reply = "Added action item: " + item.title + (item.due_date.empty() ? "" : ", due " + item.due_date) + ".";
            after.action_items.push_back(std::move(item));
        } else {
            auto item = capitalised(item_text);
            if (item.empty()) return invalid("invalid_field", "the item needs some text");
            texts(after, *section).push_back(item);
            result.reply = "Added " + std::string(name_of(*section, false)) + ": " + item + ".";
        }
    } else if (std::regex_match(text, m, edit_re)) {
        auto section = section_of(m[1].str());
        if (!section) return unsupported(context);
        auto index = index_in(*section, m[2].str());
        if (!index) return index.error();
        auto replacement = as_typed(3);
        if (*section == Section::action_items) {
            auto& item = after.action_items[*index];
            auto edited = action_from(replacement, context, item.owner_id);
            item.title = edited.title;
            if (!edited.due_date.empty()) item.due_date = edited.due_date;
            result.reply = "Action item " + std::to_string(*index + 1) + " now reads: " + item.title + ".";
        } else {
            texts(after, *section)[*index] = capitalised(replacement);
            result.reply = "Changed " + std::string(name_of(*section, false)) + " " + std::to_string(*index + 1) + ".";
        }
    } else if (std::regex_match(text, m, rewrite_re)) {
        auto section = section_of(m[1].str());
        if (!section) return unsupported(context);
        auto items = split_items(as_typed(2));
        if (items.empty()) return invalid("invalid_field", "give the new items, separated by ';'");
        if (*section == Section::action_items) {
            after.action_items.clear();
            for (const auto& item : items) after.action_items.push_back(action_from(item, context, owner_for(lower(item), context)));
        } else {
            texts(after, *section) = items;
        }
        result.reply = "Rewrote the " + std::string(name_of(*section, true)) + " (" + std::to_string(items.size()) + ").";
    } else if (std::regex_match(text, m, shorten_re)) {
        std::vector<Section> sections{Section::wins, Section::challenges, Section::action_items, Section::recommendations};
        if (m[1].matched) sections = {*section_of(m[1].str())};
        for (auto section : sections) {
            if (section == Section::action_items) {
                if (after.action_items.size() > short_list_items) after.action_items.resize(short_list_items);
                for (auto& item : after.action_items) item.title = shortened(item.title);
            } else {
                auto& list = texts(after, section);
                if (list.size() > short_list_items) list.resize(short_list_items);
                for (auto& item : list) item = shortened(item);
            }
        }
        result.reply = m[1].matched ? "Shortened the " + std::string(name_of(sections.front(), true)) + "." : "Shortened every section.";
    } else if (std::regex_match(text, m, move_re)) {
        auto index = index_in(Section::action_items, m[1].str());
        if (!index) return index.error();
        auto due = analysis::resolve_due_date("by " + m[2].str(), context.session_date);
        if (!due) due = analysis::resolve_due_date(m[2].str(), context.session_date);
        if (!due) return invalid("refinement_unsupported", "I could not read a date in '" + m[2].str() + "'; try 'next Monday' or '3 March'");
        after.action_items[*index].due_date = *due;
        result.reply = "Action item " + std::to_string(*index + 1) + " is now due " + *due + ".";
    } else if (std::regex_match(text, m, assign_re)) {
        auto index = index_in(Section::action_items, m[1].str());
        if (!index) return index.error();
        auto who = m[2].str();
        bool coach = who == "coach" || who == "me";
        if (!coach && who != "client" && who != "them") return unsupported(context);
        after.action_items[*index].owner_id = coach ? context.coach_id.value : context.client_id.value;
        result.reply = "Action item " + std::to_string(*index + 1) + " is now the " + (coach ? "coach's." : "client's.");
    } else if (std::regex_match(text, tone_re)) {
        for (auto& challenge : after.challenges)
            if (!challenge.starts_with(growth_prefix)) {
                auto rest = challenge;
                if (!rest.empty()) rest[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(rest[0])));
                challenge = std::string(growth_prefix) + rest;
            }
        if (!after.wins.empty()) {
            auto win = after.wins.front();
            win[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(win[0])));
            auto encouragement = "Keep building on your progress: " + win;
            if (std::find(after.coach_recommendations.begin(), after.coach_recommendations.end(), encouragement) == after.coach_recommendations.end())
                after.coach_recommendations.insert(after.coach_recommendations.begin(), encouragement);
        }
        result.reply = "Reframed the challenges as growth areas and opened the recommendations with the progress made.";
    } else {
        return unsupported(context);
    }
    if (after == before) return invalid("refinement_no_change", "that request leaves the summary as it is");
    return result;
}

}  // namespace debrief::refinement
