// The built-in refiner: a coach's chat message ("shorten the wins", "remove action item 2", "add action item: call
// the supplier by Friday") turned into an edit of a summary's content, deterministically and offline.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "events/event.hpp"

namespace debrief::refinement {

struct RefineContext {
    std::string session_date;  // YYYY-MM-DD: resolves "by Friday" in added action items
    ClientId client_id;        // owner of added action items unless the message says the coach
    UserId coach_id;
    bool assistant_unavailable = false;  // an assistant is configured but failed: refusals say so
};

struct Refinement {
    events::SummaryContent after;
    std::string reply;  // what the refiner did, in a sentence, for the chat
};

inline constexpr std::size_t max_message_length = 2000;
inline constexpr std::string_view builtin_refiner = "builtin-1";

// Errors: refinement_unsupported (the message is no request the refiner knows; the detail lists the ones it knows),
// refinement_out_of_range ("remove action item 7" of 3), refinement_no_change, invalid_field (empty or too long).
Result<Refinement> refine(const events::SummaryContent& before, std::string_view message, const RefineContext& context);

// A chat message must be 1..max_message_length characters once trimmed (invalid_field otherwise).
std::optional<Error> check_message(std::string_view message);

// The requests the built-in refiner understands, as examples a coach can type.
const std::vector<std::string>& supported_requests();

}  // namespace debrief::refinement
