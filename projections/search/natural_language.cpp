// Reading dates, people, sections, kinds and session types out of a query: its words are read left to right, the
// longest reading first at each word; then the filler that stood around what was read ("clients who", "in", "about")
// goes, and what is left is the text query.
#include "projections/search/natural_language.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "commands/text_rules.hpp"
#include "projections/search/search_query.hpp"
#include "projections/search/text_analyzer.hpp"
#include "projections/search/unicode_text.hpp"

namespace debrief::projections {
namespace {

namespace chr = std::chrono;
using Day = chr::sys_days;

enum class State { kept, read, dropped };  // read: part of something understood; dropped: filler beside it

struct Word {
    std::string_view raw;  // as typed
    std::string norm;      // folded, outer punctuation off, ’ as ': what readings compare
    std::string base;      // norm without a possessive "'s" ("marcus's", "week's")
    bool opaque = false;   // a quoted phrase, an exclusion or a prefix: the query language's, never read here
    State state = State::kept;
};

std::size_t space_length(std::string_view q, std::size_t at) {
    const auto d = unicode::decode(q, at);
    return unicode::is_space(d.code_point) ? d.length : 0;
}

std::string_view trim_punctuation(std::string_view s) {
    std::size_t first = s.size(), last = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto d = unicode::decode(s, i);
        if (!unicode::is_separator(d.code_point)) {
            if (first == s.size()) first = i;
            last = i + d.length;
        }
        i += d.length;
    }
    return first == s.size() ? std::string_view{} : s.substr(first, last - first);
}

std::string normalize(std::string_view raw) {
    auto folded = TextAnalyzer::fold(raw);
    for (auto at = folded.find("\u2019"); at != std::string::npos; at = folded.find("\u2019", at + 1)) folded.replace(at, 3, "'");
    return std::string(trim_punctuation(folded));
}

std::string without_possessive(const std::string& norm) {
    return norm.size() > 2 && norm.ends_with("'s") ? norm.substr(0, norm.size() - 2) : norm;
}

// The words as the query parser will see them: white space between, a quoted phrase (excluded or not) one opaque word.
std::vector<Word> split_words(std::string_view q) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < q.size()) {
        if (const auto space = space_length(q, i)) {
            i += space;
            continue;
        }
        const auto start = i;
        Word word;
        if (q[i] == '"' || (q[i] == '-' && i + 1 < q.size() && q[i + 1] == '"')) {
            const auto close = q.find('"', q[i] == '"' ? i + 1 : i + 2);
            i = close == std::string_view::npos ? q.size() : close + 1;
            word.opaque = true;
        } else {
            while (i < q.size() && q[i] != '"' && !space_length(q, i)) i += unicode::decode(q, i).length;
            const auto raw = q.substr(start, i - start);
            word.opaque = (raw.size() > 1 && raw.front() == '-') || raw.back() == '*';
        }
        word.raw = q.substr(start, i - start);
        if (!word.opaque) {
            word.norm = normalize(word.raw);
            word.base = without_possessive(word.norm);
        }
        words.push_back(std::move(word));
    }
    return words;
}

// A phrase of the tables below ("struggled with") against the words from `at`: how many it covers, or 0.
std::size_t phrase_length(const std::vector<Word>& words, std::size_t at, std::string_view phrase) {
    std::size_t n = 0;
    for (std::size_t from = 0; from <= phrase.size();) {
        auto to = phrase.find(' ', from);
        if (to == std::string_view::npos) to = phrase.size();
        const auto i = at + n;
        if (i >= words.size() || words[i].opaque || words[i].state != State::kept || words[i].norm != phrase.substr(from, to - from)) return 0;
        ++n;
        from = to + 1;
    }
    return n;
}

// ---- Dates ----

struct Span {
    std::optional<Day> from, to;
};

std::optional<unsigned> digits(std::string_view s, std::size_t min, std::size_t max) {
    if (s.size() < min || s.size() > max) return std::nullopt;
    unsigned value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

std::optional<Day> make_day(unsigned y, unsigned m, unsigned d) {
    const chr::year_month_day ymd{chr::year{static_cast<int>(y)}, chr::month{m}, chr::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return Day{ymd};
}

std::optional<Day> iso_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    const auto y = digits(s.substr(0, 4), 4, 4), m = digits(s.substr(5, 2), 2, 2), d = digits(s.substr(8, 2), 2, 2);
    if (!y || !m || !d || *y < 1000) return std::nullopt;  // four-digit years only, so every date prints as YYYY-MM-DD
    return make_day(*y, *m, *d);
}

std::string iso(Day day) {
    const chr::year_month_day ymd{day};
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return out;
}

std::optional<unsigned> month_named(std::string_view w) {
    static constexpr std::array<std::string_view, 12> months{"january", "february", "march",     "april",   "may",      "june",
                                                             "july",    "august",   "september", "october", "november", "december"};
    for (unsigned m = 0; m < months.size(); ++m)
        if (w == months[m] || w == months[m].substr(0, 3) || (m == 8 && w == "sept")) return m + 1;
    return std::nullopt;
}

std::optional<unsigned> day_number(std::string_view w) {  // "3", "03", "3rd", "21st"
    for (std::string_view suffix : {"st", "nd", "rd", "th"})
        if (w.size() > 2 && w.ends_with(suffix)) w.remove_suffix(2);
    const auto d = digits(w, 1, 2);
    return d && *d >= 1 && *d <= 31 ? d : std::nullopt;
}

std::optional<unsigned> year_number(std::string_view w) {  // a number alone is a year only where years are likely
    const auto y = digits(w, 4, 4);
    return y && *y >= 1900 && *y <= 2999 ? y : std::nullopt;
}

Span whole_month(chr::year_month ym) { return {Day{ym / 1}, Day{ym / chr::last}}; }
Span whole_year(chr::year y) { return {Day{y / chr::January / 1}, Day{y / chr::December / 31}}; }

// Read against the request's date: a month or a day without a year is the most recent one not after today.
class DateReader {
public:
    DateReader(const std::vector<Word>& words, Day today) : words_(words), today_(today) {}

    // A date reading starting at word i: its length in words and its span.
    std::optional<std::pair<std::size_t, Span>> at(std::size_t i) const {
        std::size_t k = i;
        if (norm(k) == "due") ++k;  // "due this week": the action items' due date, read as the dates are
        static constexpr std::array<std::string_view, 9> prepositions{"since", "before", "after", "in", "during", "on", "by", "over", "within"};
        const auto preposition = norm(k);
        if (std::find(prepositions.begin(), prepositions.end(), preposition) != prepositions.end()) {
            auto j = k + 1;
            if (norm(j) == "the") ++j;  // "in the last 7 days"
            auto x = relative(j);
            if (!x) x = absolute(j);
            if (x) {
                auto [length, span] = *x;
                const auto total = j + length - i;
                if (preposition == "since") return std::pair{total, Span{span.from, today_}};
                if (preposition == "before") return std::pair{total, Span{std::nullopt, *span.from - chr::days{1}}};
                if (preposition == "after") return std::pair{total, Span{*span.to + chr::days{1}, std::nullopt}};
                if (preposition == "by") return std::pair{total, Span{std::nullopt, span.to}};
                return std::pair{total, span};
            }
        }
        if (auto x = relative(k)) return std::pair{k + x->first - i, x->second};
        return std::nullopt;
    }

private:
    std::string_view norm(std::size_t i) const { return readable(i) ? std::string_view(words_[i].norm) : std::string_view{}; }
    // The last word of a reading may be possessive: "this week's", "yesterday's".
    std::string_view last(std::size_t i) const { return readable(i) ? std::string_view(words_[i].base) : std::string_view{}; }
    bool readable(std::size_t i) const { return i < words_.size() && !words_[i].opaque && words_[i].state == State::kept; }

    // Words that name a stretch of time by themselves: "today", "last week", "past 30 days".
    std::optional<std::pair<std::size_t, Span>> relative(std::size_t i) const {
        const auto a = norm(i);
        const auto one = last(i);
        if (one == "today") return std::pair{std::size_t{1}, Span{today_, today_}};
        if (one == "yesterday") return std::pair{std::size_t{1}, Span{today_ - chr::days{1}, today_ - chr::days{1}}};
        if (one == "tomorrow") return std::pair{std::size_t{1}, Span{today_ + chr::days{1}, today_ + chr::days{1}}};
        const int step = a == "this" ? 0 : a == "last" ? -1 : a == "next" ? 1 : 2;
        if (step != 2) {
            const auto unit = last(i + 1);
            if (unit == "week") {  // ISO weeks: Monday to Sunday
                const auto monday = today_ - chr::days{chr::weekday{today_}.iso_encoding() - 1} + chr::weeks{step};
                return std::pair{std::size_t{2}, Span{monday, monday + chr::days{6}}};
            }
            const chr::year_month_day t{today_};
            if (unit == "month") return std::pair{std::size_t{2}, whole_month(chr::year_month{t.year(), t.month()} + chr::months{step})};
            if (unit == "year") return std::pair{std::size_t{2}, whole_year(t.year() + chr::years{step})};
        }
        if (a == "last" || a == "past" || a == "next") {  // "last 7 days": today and the 6 before it
            const auto n = digits(norm(i + 1), 1, 4);
            const auto unit = last(i + 2);
            const unsigned per = unit == "days" || unit == "day" ? 1 : unit == "weeks" || unit == "week" ? 7 : 0;
            if (n && *n >= 1 && per && *n * per <= max_relative_days) {
                const chr::days back{*n * per - 1};
                return std::pair{std::size_t{3}, a == "next" ? Span{today_, today_ + back} : Span{today_ - back, today_}};
            }
        }
        return std::nullopt;
    }

    // Words that name a date, a month or a year: "2026-10-01", "3 March", "March 3rd 2026", "October", "2025".
    std::optional<std::pair<std::size_t, Span>> absolute(std::size_t i) const {
        const auto a = norm(i);
        if (const auto day = iso_day(a)) return std::pair{std::size_t{1}, Span{day, day}};
        if (const auto d = day_number(a)) {
            const auto k = norm(i + 1) == "of" ? i + 2 : i + 1;  // "3rd of March"
            if (const auto m = month_named(norm(k)))
                if (auto dated = day_in(i, k + 1, *m, *d)) return dated;
        }
        if (const auto m = month_named(a)) {
            if (const auto d = day_number(norm(i + 1)))
                if (auto dated = day_in(i, i + 2, *m, *d)) return dated;
            if (const auto y = year_number(norm(i + 1))) return std::pair{std::size_t{2}, whole_month(chr::year{static_cast<int>(*y)} / chr::month{*m})};
            const chr::year_month_day t{today_};
            chr::year_month month{t.year(), chr::month{*m}};
            if (month > chr::year_month{t.year(), t.month()}) month -= chr::years{1};
            return std::pair{std::size_t{1}, whole_month(month)};
        }
        if (const auto y = year_number(a)) return std::pair{std::size_t{1}, whole_year(chr::year{static_cast<int>(*y)})};
        return std::nullopt;
    }

    // Day d of month m, with the year at word `year_at` if there is one, else the most recent such day.
    std::optional<std::pair<std::size_t, Span>> day_in(std::size_t i, std::size_t year_at, unsigned m, unsigned d) const {
        if (const auto y = year_number(norm(year_at))) {
            const auto day = make_day(*y, m, d);
            if (!day) return std::nullopt;
            return std::pair{year_at + 1 - i, Span{day, day}};
        }
        if (!chr::month_day{chr::month{m}, chr::day{d}}.ok()) return std::nullopt;
        const chr::year_month_day t{today_};
        for (int back = 0; back <= 8; ++back) {  // 29 February may be eight years back
            const chr::year_month_day ymd{t.year() - chr::years{back}, chr::month{m}, chr::day{d}};
            if (ymd.ok() && Day{ymd} <= today_) return std::pair{year_at - i, Span{Day{ymd}, Day{ymd}}};
        }
        return std::nullopt;
    }

    static constexpr unsigned max_relative_days = 3660;  // "last 100000 days" is no date a user means
    const std::vector<Word>& words_;
    Day today_;
};

// ---- People ----

struct Person {
    std::vector<std::string> words;  // the name's words, normalized
    const KnownName* known;
};

class PeopleReader {
public:
    explicit PeopleReader(const std::vector<KnownName>& names) {
        for (const auto& known : names) {
            if (known.id.empty() || (known.kind != "client" && known.kind != "coach")) continue;
            Person person{{}, &known};
            for (const auto& word : split_words(known.name))
                if (!word.opaque && !word.norm.empty()) person.words.push_back(word.norm);
            if (person.words.empty()) continue;
            by_first_word_[person.words.front()].push_back(people_.size());
            people_.push_back(std::move(person));
        }
    }

    // The people named from word i (the longest name wins; one name may be two people's), and the words it took.
    std::pair<std::size_t, std::vector<const KnownName*>> at(const std::vector<Word>& words, std::size_t i) const {
        std::size_t best = 0;
        std::vector<const KnownName*> found;
        auto consider = [&](const Person& person, std::size_t length) {
            if (length < best) return;
            if (length > best) found.clear();
            best = length;
            const bool seen = std::any_of(found.begin(), found.end(), [&](const KnownName* k) { return k->kind == person.known->kind && k->id == person.known->id; });
            if (!seen) found.push_back(person.known);
        };
        for (const auto& key : {words[i].norm, words[i].base}) {
            const auto it = by_first_word_.find(key);
            if (it == by_first_word_.end()) continue;
            for (const auto index : it->second) {
                const auto& person = people_[index];
                if (full_name_at(words, i, person)) consider(person, person.words.size());
            }
            // A first name alone names someone only when nobody else the actor may see has it.
            if (best == 0 && distinct_people(it->second) == 1) consider(people_[it->second.front()], 1);
        }
        return {best, found};
    }

private:
    bool full_name_at(const std::vector<Word>& words, std::size_t i, const Person& person) const {
        for (std::size_t k = 0; k < person.words.size(); ++k) {
            const auto j = i + k;
            if (j >= words.size() || words[j].opaque || words[j].state != State::kept) return false;
            const bool last = k + 1 == person.words.size();
            if (words[j].norm != person.words[k] && !(last && words[j].base == person.words[k])) return false;
        }
        return true;
    }

    std::size_t distinct_people(const std::vector<std::size_t>& indexes) const {
        std::vector<std::pair<std::string_view, std::string_view>> ids;
        for (const auto index : indexes) ids.emplace_back(people_[index].known->kind, people_[index].known->id);
        std::sort(ids.begin(), ids.end());
        return static_cast<std::size_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
    }

    std::vector<Person> people_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;
};

// ---- Sections, kinds, session types ----

enum class Filter { field, kind, session_type };

struct Keyword {
    std::string_view phrase;
    Filter filter;
    std::string_view value;
};

constexpr Keyword keywords[] = {
        {"struggled with", Filter::field, "challenges"},
        {"struggling with", Filter::field, "challenges"},
        {"struggles with", Filter::field, "challenges"},
        {"struggle with", Filter::field, "challenges"},
        {"challenges", Filter::field, "challenges"},
        {"challenge", Filter::field, "challenges"},
        {"difficulties", Filter::field, "challenges"},
        {"difficulty", Filter::field, "challenges"},
        {"wins", Filter::field, "wins"},
        {"breakthroughs", Filter::field, "wins"},
        {"breakthrough", Filter::field, "wins"},
        {"successes", Filter::field, "wins"},
        {"action items", Filter::kind, "action_item"},
        {"action item", Filter::kind, "action_item"},
        {"actions", Filter::kind, "action_item"},
        {"notes", Filter::kind, "note"},
        {"transcripts", Filter::kind, "transcript"},
        {"summaries", Filter::kind, "summary"},
        {"call reviews", Filter::session_type, "call_review"},
        {"call review", Filter::session_type, "call_review"},
        {"group workshops", Filter::session_type, "group_workshop"},
        {"group workshop", Filter::session_type, "group_workshop"},
        {"workshops", Filter::session_type, "group_workshop"},
        {"workshop", Filter::session_type, "group_workshop"},
        {"individual sessions", Filter::session_type, "individual"},
        {"individual session", Filter::session_type, "individual"},
        {"one-to-ones", Filter::session_type, "individual"},
        {"one-to-one", Filter::session_type, "individual"},
        {"one to ones", Filter::session_type, "individual"},
        {"1:1s", Filter::session_type, "individual"},
        {"1:1", Filter::session_type, "individual"},
};

std::string_view label(Filter filter, std::string_view value) {
    if (filter == Filter::field) return value;
    if (value == "action_item") return "action items";
    if (value == "note") return "notes";
    if (value == "transcript") return "transcripts";
    if (value == "summary") return "summaries";
    if (value == "call_review") return "call reviews";
    if (value == "group_workshop") return "group workshops";
    return "individual sessions";
}

// ---- Filler ----

// Dropped only at the start of what is left: the way a request is put, not what it asks for.
constexpr std::string_view leading_filler[] = {"show me", "show", "find me", "find", "search for", "search", "look for", "list", "give me",
                                               "get me", "clients who", "clients that", "clients with", "coaches who", "coaches that"};
// Dropped where they touch something read (or the start or end): the glue of a reading, "in" of "in call reviews".
constexpr std::string_view connector_filler[] = {"sessions where we talked about", "sessions where we discussed", "sessions where", "sessions about",
                                                 "sessions with", "where we talked about", "where we discussed", "we talked about", "talked about",
                                                 "who", "where", "that", "which", "about", "in", "of", "with", "for", "from", "during", "on", "at",
                                                 "by", "to", "the", "all", "my", "our", "and", "or"};


// Drops filler beside what was read until none is left to drop; true if anything was.
bool drop_filler_once(std::vector<Word>& words) {
    const auto kept = [&](std::size_t i) { return words[i].state == State::kept; };
    bool at_start = true;  // no word kept before this one
    for (std::size_t i = 0; i < words.size(); at_start = at_start && !kept(i), ++i) {
        if (!kept(i) || words[i].opaque) continue;
        const bool after_gap = i == 0 || !kept(i - 1);
        std::size_t length = 0;
        if (at_start)
            for (auto phrase : leading_filler) length = std::max(length, phrase_length(words, i, phrase));
        if (after_gap)
            for (auto phrase : connector_filler) length = std::max(length, phrase_length(words, i, phrase));
        for (auto phrase : connector_filler) {  // before a gap: "pricing in [call reviews]"
            const auto n = phrase_length(words, i, phrase);
            if (n > length && (i + n == words.size() || !kept(i + n))) length = n;
        }
        if (length == 0) continue;
        for (std::size_t k = i; k < i + length; ++k) words[k].state = State::dropped;
        return true;
    }
    return false;
}

std::string typed(const std::vector<Word>& words, std::size_t from, std::size_t length) {
    const auto* first = words[from].raw.data();
    const auto& end = words[from + length - 1].raw;
    return std::string(trim_punctuation(std::string_view(first, static_cast<std::size_t>(end.data() + end.size() - first))));
}

template <typename T>
void add_once(std::vector<T>& values, const T& value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
}

}  // namespace

Interpretation interpret_query(std::string_view q, std::string_view today, const std::vector<KnownName>& names) {
    Interpretation out;
    out.text = q;
    if (q.size() > max_query_bytes || !commands::is_valid_utf8(q)) return out;

    auto words = split_words(q);
    const auto today_day = iso_day(today);
    const PeopleReader people(names);
    std::optional<Day> from, to;
    bool read_anything = false;

    for (std::size_t i = 0; i < words.size();) {
        if (words[i].opaque || words[i].norm.empty()) {
            ++i;
            continue;
        }
        // Every reading that starts here; the longest is taken (a date before a name before a keyword on a tie).
        std::size_t date_length = 0;
        Span date_span;
        if (today_day)
            if (const auto date = DateReader(words, *today_day).at(i)) std::tie(date_length, date_span) = *date;
        const auto [name_length, named] = people.at(words, i);
        std::size_t keyword_length = 0;
        const Keyword* keyword = nullptr;
        for (const auto& k : keywords) {
            const auto n = phrase_length(words, i, k.phrase);
            if (n <= keyword_length) continue;
            // One session type per query: a second, different one stays text.
            if (k.filter == Filter::session_type && out.session_type && *out.session_type != k.value) continue;
            keyword_length = n;
            keyword = &k;
        }
        const auto length = std::max({date_length, name_length, keyword_length});
        if (length == 0) {
            ++i;
            continue;
        }
        const auto said = typed(words, i, length);
        if (date_length == length) {
            if (date_span.from) from = from ? std::max(*from, *date_span.from) : *date_span.from;  // two dates: both hold
            if (date_span.to) to = to ? std::min(*to, *date_span.to) : *date_span.to;
            const auto shown = date_span.from && date_span.to && *date_span.from == *date_span.to
                                       ? iso(*date_span.from)
                                       : (date_span.from ? iso(*date_span.from) : "") + ".." + (date_span.to ? iso(*date_span.to) : "");
            out.understood.push_back(said + " → " + shown);
        } else if (name_length == length) {
            for (const auto* known : named) {
                add_once(known->kind == "client" ? out.client_ids : out.coach_ids, known->id);
                out.understood.push_back(said + " → " + known->kind + " " + known->name);
            }
        } else {
            const std::string value(keyword->value);
            if (keyword->filter == Filter::field) add_once(out.fields, value);
            if (keyword->filter == Filter::kind) add_once(out.kinds, value);
            if (keyword->filter == Filter::session_type) out.session_type = value;
            out.understood.push_back(said + " → " + std::string(label(keyword->filter, keyword->value)));
        }
        for (std::size_t k = i; k < i + length; ++k) words[k].state = State::read;
        read_anything = true;
        i += length;
    }
    if (!read_anything) return out;  // nothing understood: the text exactly as typed

    while (drop_filler_once(words)) {
    }
    out.text.clear();
    for (const auto& word : words) {
        if (word.state != State::kept || (!word.opaque && unicode::word_characters(word.raw) == 0)) continue;  // a dash left between readings
        if (!out.text.empty()) out.text += ' ';
        out.text += word.raw;
    }
    if (from) out.from = iso(*from);
    if (to) out.to = iso(*to);
    return out;
}

}  // namespace debrief::projections
