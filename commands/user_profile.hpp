// A user's own settings: a coach's voice profile (how their follow-ups sound and sign off) and notification
// preferences (digest, which events, quiet hours).
#pragma once

#include <string>
#include <vector>

#include "commands/actor.hpp"
#include "common/result.hpp"
#include "commands/user.hpp"
#include "events/event.hpp"

namespace debrief::commands {

struct SetVoiceProfile {
    UserId user_id;
    Actor actor;
    std::string tone;
    std::string sign_off;
    std::vector<std::string> phrases_to_avoid;
};

struct SetNotificationPreferences {
    UserId user_id;
    Actor actor;
    std::string email_digest;
    std::vector<std::string> notify_on;
    std::string quiet_hours_start;
    std::string quiet_hours_end;
    std::string time_zone;
};

// The coach themselves, their coach lead or an admin; only coaching roles have a voice.
Result<std::vector<events::Payload>> decide(const UserState& user, const SetVoiceProfile& command);
// The user themselves or an admin.
Result<std::vector<events::Payload>> decide(const UserState& user, const SetNotificationPreferences& command);

const std::vector<std::string>& voice_tones();
const std::vector<std::string>& notification_events();
// The voice profile as instructions for a writing assistant ("\nWrite in a warm tone. Avoid these phrases: ..."),
// empty when none is set.
std::string voice_instructions(const UserState& coach);
// What a follow-up signs off with: the voice profile's sign-off, else "Best regards,\n<name>".
std::string sign_off_of(const UserState& coach);

}  // namespace debrief::commands
