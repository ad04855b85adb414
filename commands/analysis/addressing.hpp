// Whom a coach's sentence is addressed to in a group: a client called by name, the whole group, or nobody in particular.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/analysis/text.hpp"

namespace debrief::analysis::detail {

struct Address {
    std::vector<std::size_t> clients;  // indexes of the clients called by name, in order of mention
    bool group = false;                // "everyone", "all of you", "each of you" ...
};

// names[c] holds the lower-case forms client c answers to ("maria lopez", "maria"). A name is a form of address when
// it opens the sentence ("Priya, what if ...", "Thanks Priya.") or is set off by punctuation ("..., Tom?"), and not
// when the coach talks about someone ("like Priya said", "as Tom mentioned").
Address address_of(std::string_view sentence, const std::vector<Word>& words, const std::vector<std::vector<std::string>>& names);

// The forms a speaker answers to: the full name and its first word ("Maria Lopez" -> "maria lopez", "maria").
std::vector<std::string> name_forms(std::string_view speaker);

}  // namespace debrief::analysis::detail
