// Due-date phrases: every matcher proposes a dated span, the leftmost one wins; calendar arithmetic is std::chrono's.
#include "commands/analysis/due_dates.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <set>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis {
namespace {

using namespace std::chrono;
using detail::Word;

struct Candidate {
    sys_days date;
    std::size_t begin = 0;  // word indexes for word matchers, bytes for the raw scanners
    std::size_t end = 0;
};

std::optional<year_month_day> parse_iso(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto number = [&](std::size_t at, std::size_t length, auto& out) {
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + length, out);
        return ec == std::errc{} && end == text.data() + at + length;
    };
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
    year_month_day date{year{y}, month{m}, day{d}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string format(sys_days date) {
    year_month_day ymd{date};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buffer;
}

// "week's", "weeks'" -> "week", "weeks"; the curly apostrophe is three bytes.
std::string_view bare(std::string_view word) {
    for (std::string_view suffix : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"})
        if (word.size() > suffix.size() && word.ends_with(suffix)) return word.substr(0, word.size() - suffix.size());
    return word;
}

std::optional<unsigned> weekday_index(std::string_view word) {  // ISO: Monday 1 .. Sunday 7
    constexpr std::array<std::string_view, 7> names{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (unsigned i = 0; i < names.size(); ++i)
        if (word == names[i]) return i + 1;
    return std::nullopt;
}

std::optional<unsigned> month_index(std::string_view word) {
    constexpr std::array<std::string_view, 12> names{"january", "february", "march",     "april",   "may",      "june",
                                                     "july",    "august",   "september", "october", "november", "december"};
    // "may" and "mar" are also verbs; they only count next to a day number, which the matchers require anyway.
    constexpr std::array<std::string_view, 12> short_names{"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};
    for (unsigned i = 0; i < 12; ++i)
        if (word == names[i] || word == short_names[i]) return i + 1;
    if (word == "sept") return 9;
    return std::nullopt;
}

std::optional<int> small_number(std::string_view word) {
    constexpr std::array<std::string_view, 12> names{"one", "two",   "three", "four",   "five",   "six",
                                                     "seven", "eight", "nine", "ten", "eleven", "twelve"};
    for (int i = 0; i < 12; ++i)
        if (word == names[i]) return i + 1;
    if (word == "a" || word == "an") return 1;
    int value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec == std::errc{} && end == word.data() + word.size() && value > 0 && value <= 366) return value;
    return std::nullopt;
}

// "3", "3rd", "21st": a day of the month; ordinal reports whether it had a suffix.
std::optional<unsigned> day_number(std::string_view word, bool& ordinal) {
    std::size_t digits = 0;
    while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits]))) ++digits;
    if (digits == 0 || digits > 2) return std::nullopt;
    auto suffix = word.substr(digits);
    if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") return std::nullopt;
    ordinal = !suffix.empty();
    unsigned value = 0;
    std::from_chars(word.data(), word.data() + digits, value);
    if (value < 1 || value > 31) return std::nullopt;
    return value;
}

std::optional<int> year_number(std::string_view word) {
    if (word.size() != 4) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + 4, value);
    if (ec != std::errc{} || end != word.data() + 4 || value < 1970 || value > 2200) return std::nullopt;
    return value;
}

class Resolver {
public:
    Resolver(std::string_view text, std::optional<sys_days> session) : text_(text), words_(detail::words_of(text)), session_(session) {}

    std::optional<DueDateMatch> first() {
        std::optional<Candidate> best;  // in bytes
        auto consider = [&](std::optional<Candidate> c) {
            if (c && (!best || c->begin < best->begin || (c->begin == best->begin && c->end > best->end))) best = c;
        };
        for (std::size_t i = 0; i < words_.size(); ++i) {
            if (auto c = at(i)) {
                consider(to_bytes(widen(*c)));
                break;  // word matchers run left to right: the first hit is the leftmost word phrase
            }
        }
        consider(widen_bytes(scan_iso()));
        consider(widen_bytes(scan_slash()));
        if (!best) return std::nullopt;
        auto opening = detail::to_lower(text_.substr(best->begin, std::min<std::size_t>(best->end - best->begin, 8)));
        bool deadline = false;
        for (std::string_view word : {"by ", "before ", "until ", "till ", "due ", "no later"}) deadline |= opening.starts_with(word);
        return DueDateMatch{format(best->date), best->begin, best->end, deadline};
    }

private:
    std::string_view word(std::size_t i) const { return i < words_.size() ? std::string_view(words_[i].lower) : std::string_view(); }
    bool is(std::size_t i, std::string_view w) const { return word(i) == w; }

    // Leading "by", "on", "the" ... belong to the phrase, so a title can drop them with it.
    Candidate widen(Candidate c) const {
        constexpr std::array<std::string_view, 13> lead{"by", "on", "before", "until", "till", "due", "the", "at", "for", "than", "this",
                                                        "from", "starting"};
        while (c.begin > 0 && std::find(lead.begin(), lead.end(), word(c.begin - 1)) != lead.end()) {
            --c.begin;
            if (is(c.begin, "than") && c.begin >= 2 && is(c.begin - 1, "later") && is(c.begin - 2, "no")) c.begin -= 2;
        }
        if (is(c.end, "at") && is(c.end + 1, "the") && is(c.end + 2, "latest")) c.end += 3;
        return c;
    }

    // The raw scanners work in bytes; their leading "by"/"due" is found through the word that starts the match.
    std::optional<Candidate> widen_bytes(std::optional<Candidate> c) const {
        if (!c) return c;
        for (std::size_t i = 0; i < words_.size(); ++i) {
            if (words_[i].begin != c->begin) continue;
            auto wide = widen(Candidate{c->date, i, i + 1});
            return Candidate{c->date, words_[wide.begin].begin, std::max(c->end, words_[wide.end - 1].end)};
        }
        return c;
    }

    Candidate to_bytes(Candidate c) const { return {c.date, words_[c.begin].begin, words_[c.end - 1].end}; }

    sys_days friday_this_week() const {
        auto iso = weekday{*session_}.iso_encoding();
        return iso <= 5 ? *session_ + days{5 - iso} : *session_;
    }
    sys_days monday_next_week() const { return *session_ + days{8 - weekday{*session_}.iso_encoding()}; }
    sys_days last_of_month(int months_ahead) const {
        year_month_day ymd{*session_};
        auto first = year_month{ymd.year(), ymd.month()} + months{months_ahead};
        return sys_days{first / last};
    }
    sys_days add_months(int count) const {
        year_month_day ymd{*session_};
        auto shifted = ymd + months{count};
        if (!shifted.ok()) return sys_days{shifted.year() / shifted.month() / last};  // 31 January + 1 month: 28 February
        return sys_days{shifted};
    }
    // The first date with this month and day on or after the session date (29 February waits for a leap year).
    std::optional<sys_days> next_date(unsigned m, unsigned d) const {
        year_month_day today{*session_};
        for (int ahead = 0; ahead <= 8; ++ahead) {
            year_month_day candidate{today.year() + years{ahead}, month{m}, day{d}};
            if (candidate.ok() && sys_days{candidate} >= *session_) return sys_days{candidate};
        }
        return std::nullopt;
    }
    std::optional<sys_days> dated(std::optional<int> y, unsigned m, unsigned d) const {
        if (y) {
            year_month_day candidate{year{*y}, month{m}, day{d}};
            if (!candidate.ok()) return std::nullopt;
            return sys_days{candidate};
        }
        if (!session_) return std::nullopt;
        return next_date(m, d);
    }

    struct Span {
        int amount = 0;
        enum { days, months } unit = days;
        std::size_t end = 0;  // one past the unit word
    };
    // "two weeks", "3 days", "a couple of days", "a fortnight", "a month".
    std::optional<Span> span_at(std::size_t i) const {
        std::optional<int> amount;
        if (is(i, "a") && is(i + 1, "couple") && is(i + 2, "of")) amount = 2, i += 3;
        else if (is(i, "couple") && is(i + 1, "of")) amount = 2, i += 2;
        else if (is(i, "a") && bare(word(i + 1)) == "fortnight") return Span{14, Span::days, i + 2};
        else if ((amount = small_number(word(i)))) i += 1;
        if (!amount) return std::nullopt;
        auto unit = bare(word(i));
        if (unit == "day" || unit == "days") return Span{*amount, Span::days, i + 1};
        if (unit == "week" || unit == "weeks") return Span{*amount * 7, Span::days, i + 1};
        if (unit == "fortnight" || unit == "fortnights") return Span{*amount * 14, Span::days, i + 1};
        if (unit == "month" || unit == "months") return Span{*amount, Span::months, i + 1};
        return std::nullopt;
    }
    sys_days after(const Span& span) const { return span.unit == Span::days ? *session_ + days{span.amount} : add_months(span.amount); }

    // A month-name date starting at word i: "3 March", "3rd of March 2027", "March 3rd", "March the 3rd".
    std::optional<Candidate> month_date_at(std::size_t i) const {
        bool ordinal = false;
        if (auto d = day_number(word(i), ordinal)) {
            std::size_t j = i + 1;
            if (is(j, "of")) ++j;
            if (auto m = month_index(word(j))) {
                auto y = year_number(word(j + 1));
                if (auto date = dated(y, *m, *d)) return Candidate{*date, i, j + (y ? 2 : 1)};
            }
            return std::nullopt;
        }
        if (auto m = month_index(word(i))) {
            std::size_t j = i + 1;
            if (is(j, "the")) ++j;
            if (auto d = day_number(word(j), ordinal)) {
                auto y = year_number(word(j + 1));
                if (auto date = dated(y, *m, *d)) return Candidate{*date, i, j + (y ? 2 : 1)};
            }
        }
        return std::nullopt;
    }

    // Words that can open a due-date phrase; every other word is skipped with one lookup.
    static bool may_open_phrase(std::string_view w) {
        static const std::set<std::string_view> openers{
            "today", "tonight", "eod", "cob", "tomorrow", "day", "after", "close", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday", "eow", "end", "this", "week", "next", "in", "within", "a", "an", "couple", "the", "one", "two", "three",
            "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "january", "february", "march", "april", "may",
            "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
            "sep", "sept", "oct", "nov", "dec"};
        return (!w.empty() && std::isdigit(static_cast<unsigned char>(w[0]))) || openers.contains(w);
    }

    std::optional<Candidate> at(std::size_t i) const {
        if (!may_open_phrase(word(i))) return std::nullopt;
        if (auto c = month_date_at(i)) return c;
        if (!session_) return std::nullopt;
        auto w = word(i);
        auto today = *session_;
        if (w == "today" || w == "tonight" || w == "eod" || w == "cob") return Candidate{today, i, i + 1};
        if (w == "tomorrow") {
            if (i >= 2 && is(i - 1, "after") && is(i - 2, "day")) return std::nullopt;  // matched at "day"
            return Candidate{today + days{1}, i, i + 1};
        }
        if (w == "day" && is(i + 1, "after") && is(i + 2, "tomorrow")) return Candidate{today + days{2}, i, i + 3};
        if (w == "after" && (is(i + 1, "this") || is(i + 1, "the")) &&
            (is(i + 2, "call") || is(i + 2, "session") || is(i + 2, "meeting")))
            return Candidate{today, i, i + 3};
        if (w == "after" && is(i + 1, "this") && i + 2 == words_.size()) return Candidate{today, i, i + 2};  // "... after this."
        if (w == "close" && is(i + 1, "of") && is(i + 2, "business")) return Candidate{today, i, i + 3};
        if (auto wd = weekday_index(w)) {
            if (i > 0 && (is(i - 1, "last") || is(i - 1, "every") || is(i - 1, "each") || is(i - 1, "past") || is(i - 1, "since")))
                return std::nullopt;
            if (i > 0 && is(i - 1, "next")) return Candidate{monday_next_week() + days{*wd - 1}, i - 1, i + 1};
            auto ahead = (weekday{*wd % 7} - weekday{today}).count();
            std::size_t begin = (i > 1 && is(i - 1, "coming") && is(i - 2, "this")) ? i - 2 : (i > 0 && is(i - 1, "coming") ? i - 1 : i);
            return Candidate{today + days{ahead == 0 ? 7 : ahead}, begin, i + 1};
        }
        if (w == "eow") return Candidate{friday_this_week(), i, i + 1};
        if (w == "end" && is(i + 1, "of")) {
            std::size_t j = i + 2;
            if (is(j, "the") || is(j, "this")) ++j;
            if (is(j, "day") || is(j, "today")) return Candidate{today, i, j + 1};
            if (is(j, "week")) return Candidate{friday_this_week(), i, j + 1};
            if (is(j, "month")) return Candidate{last_of_month(0), i, j + 1};
            if (is(j, "year")) return Candidate{sys_days{year_month_day{today}.year() / December / 31}, i, j + 1};
            if (is(j, "next") && is(j + 1, "week")) return Candidate{monday_next_week() + days{4}, i, j + 2};
            if (is(j, "next") && is(j + 1, "month")) return Candidate{last_of_month(1), i, j + 2};
            return std::nullopt;
        }
        if (w == "this" && is(i + 1, "week")) return Candidate{friday_this_week(), i, i + 2};
        if (w == "this" && is(i + 1, "month")) return Candidate{last_of_month(0), i, i + 2};
        if (w == "week" && is(i + 1, "after") && is(i + 2, "next")) return Candidate{monday_next_week() + days{11}, i, i + 3};
        if (w == "next" && is(i + 1, "week")) {
            if (is(i + 2, "after") || (i > 0 && is(i - 1, "after"))) return std::nullopt;  // "the week after next"
            bool by_start = i > 0 && (is(i - 1, "by") || is(i - 1, "before") || is(i - 1, "until") || is(i - 1, "till") ||
                                      is(i - 1, "early"));
            bool start_of = i > 1 && is(i - 1, "of") && (is(i - 2, "start") || is(i - 2, "beginning"));
            if (start_of) return Candidate{monday_next_week(), i - 2, i + 2};
            if (by_start) return Candidate{monday_next_week(), i - 1, i + 2};
            return Candidate{monday_next_week() + days{4}, i, i + 2};
        }
        if (w == "next" && is(i + 1, "month")) {
            if (i > 0 && (is(i - 1, "by") || is(i - 1, "before"))) {
                year_month_day ymd{today};
                return Candidate{sys_days{(year_month{ymd.year(), ymd.month()} + months{1}) / 1}, i - 1, i + 2};
            }
            return Candidate{last_of_month(1), i, i + 2};
        }
        if (w == "in" || w == "within") {
            if (auto span = span_at(i + 1)) {
                std::size_t end = span->end;
                if (is(end, "time")) ++end;  // "in two weeks' time"
                return Candidate{after(*span), i, end};
            }
        }
        if (auto span = span_at(i); span && is(span->end, "from") && (is(span->end + 1, "now") || is(span->end + 1, "today")))
            return Candidate{after(*span), i, span->end + 2};
        if (w == "the" && i + 1 < words_.size()) {
            bool ordinal = false;
            if (auto d = day_number(word(i + 1), ordinal); d && ordinal && !month_date_at(i + 1)) {
                // "by the 15th": the next 15th on or after the session date, skipping months too short for it.
                year_month_day ymd{today};
                auto ym = year_month{ymd.year(), ymd.month()};
                for (int ahead = 0; ahead < 3; ++ahead) {
                    year_month_day candidate{(ym + months{ahead}) / day{*d}};
                    if (candidate.ok() && sys_days{candidate} >= today) return Candidate{sys_days{candidate}, i, i + 2};
                }
            }
        }
        return std::nullopt;
    }

    static bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

    std::optional<Candidate> scan_iso() const {
        for (std::size_t i = 0; i + 10 <= text_.size(); ++i) {
            if ((i > 0 && (digit(text_[i - 1]) || text_[i - 1] == '-')) || !digit(text_[i])) continue;
            if (i + 10 < text_.size() && (digit(text_[i + 10]) || text_[i + 10] == '-')) continue;
            if (auto date = parse_iso(text_.substr(i, 10))) return Candidate{sys_days{*date}, i, i + 10};
        }
        return std::nullopt;
    }

    // "by 15/03", "on 15/03/2027": numbers only count after a deadline word, and only with one valid reading.
    std::optional<Candidate> scan_slash() const {
        for (std::size_t w = 1; w < words_.size(); ++w) {
            auto before = word(w - 1);
            if (before != "by" && before != "on" && before != "before" && before != "until" && before != "till" && before != "due")
                continue;
            std::size_t i = words_[w].begin;
            auto read = [&](std::size_t& at, std::size_t max_digits) -> std::optional<int> {
                std::size_t start = at;
                while (at < text_.size() && digit(text_[at]) && at - start < max_digits) ++at;
                if (at == start || (at < text_.size() && digit(text_[at]))) return std::nullopt;
                int value = 0;
                std::from_chars(text_.data() + start, text_.data() + at, value);
                return value;
            };
            std::size_t at = i;
            auto a = read(at, 2);
            if (!a || at >= text_.size() || text_[at] != '/') continue;
            ++at;
            auto b = read(at, 2);
            if (!b) continue;
            std::optional<int> y;
            if (at + 1 < text_.size() && text_[at] == '/' && digit(text_[at + 1])) {
                std::size_t year_at = at + 1;
                auto digits_start = year_at;
                y = read(year_at, 4);
                if (!y || (year_at - digits_start != 2 && year_at - digits_start != 4)) continue;
                if (year_at - digits_start == 2) *y += 2000;
                at = year_at;
            }
            if (at < text_.size() && text_[at] == '/') continue;
            auto valid = [&](int m, int d) {
                if (m < 1 || m > 12 || d < 1 || d > 31) return false;
                return year_month_day{year{y.value_or(2000)}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}.ok();
            };
            bool day_first = valid(*b, *a), month_first = valid(*a, *b);
            if (day_first && month_first && *a != *b) continue;  // 03/04: March or April? Not ours to guess.
            if (!day_first && !month_first) continue;
            unsigned m = static_cast<unsigned>(day_first ? *b : *a), d = static_cast<unsigned>(day_first ? *a : *b);
            if (auto date = dated(y, m, d)) return Candidate{*date, words_[w - 1].begin, at};
        }
        return std::nullopt;
    }

    std::string_view text_;
    std::vector<Word> words_;
    std::optional<sys_days> session_;
};

}  // namespace

std::optional<DueDateMatch> find_due_date(std::string_view text, std::string_view session_date) {
    std::optional<sys_days> session;
    if (auto date = parse_iso(session_date)) session = sys_days{*date};
    return Resolver(text, session).first();
}

std::optional<std::string> resolve_due_date(std::string_view text, std::string_view session_date) {
    if (auto match = find_due_date(text, session_date)) return match->date;
    return std::nullopt;
}

}  // namespace debrief::analysis
