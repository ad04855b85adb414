// Due dates in speech ("by Friday", "next week", "on 3 March", "2026-12-01"), resolved against the session date.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace debrief::analysis {

// The rules, all relative to the session date (YYYY-MM-DD); weeks run Monday to Sunday:
//   "today", "tonight", "end of (the) day", "after this (call)"     the session date
//   "tomorrow" / "the day after tomorrow"                           +1 / +2 days
//   "Friday", "by Friday", "on Friday", "this (coming) Friday"      the next Friday strictly after the session date
//   "next Friday"                                                   Friday of next week (never this week's)
//   "last Friday", "every Friday"                                   not a due date
//   "this week", "by the end of the week", "EOW"                    this week's Friday; the session date itself when
//                                                                   the session is on a Friday, Saturday or Sunday
//   "next week", "during next week", "end of next week"             Friday of next week: a task "for next week" is late
//                                                                   only once that week's working days are over
//   "by next week", "before next week", "early next week"           Monday of next week: it must be done when it starts
//   "the week after next"                                           Friday of the week after next
//   "this month", "(by) the end of the month"                       the last day of the session's month
//   "next month", "end of next month" / "by next month"             last day of next month / the 1st of next month
//   "in two weeks", "in 3 days", "within a month", "a week from now" +14 / +3 days / +1 month (clamped to the month's end);
//                                                                   numbers as digits, one..twelve, "a", "a couple of",
//                                                                   "a fortnight"
//   "3 March", "3rd of March", "March 3rd", "the 15th"             the first such date on or after the session date;
//                                                                   an explicit year ("3 March 2027") is kept as said
//   "by 15/03", "on 03/15/2027"                                     only after by/on/before/until/due (so "scored 9/10"
//                                                                   is not a date) and only when one reading is a valid
//                                                                   date: 15/03 is 15 March, 03/15 is March 15, 03/04
//                                                                   is ambiguous and ignored
//   "2026-12-01"                                                    as written, when it is a real date
// Phrases that need the session date resolve to nothing when it is not a valid YYYY-MM-DD.
struct DueDateMatch {
    std::string date;        // YYYY-MM-DD
    std::size_t begin = 0;   // byte span of the phrase, with a leading "by", "on", "before", "the" ...
    std::size_t end = 0;
    bool deadline = false;   // introduced by "by", "before", "until", "due" or "no later than": clearly a due date
};

// The first (leftmost) due-date phrase in the text.
std::optional<DueDateMatch> find_due_date(std::string_view text, std::string_view session_date);
std::optional<std::string> resolve_due_date(std::string_view text, std::string_view session_date);

}  // namespace debrief::analysis
