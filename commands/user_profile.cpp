// Voice profile and notification preference decisions.
#include "commands/user_profile.hpp"

#include <algorithm>

#include "commands/authorization.hpp"
#include "commands/text_rules.hpp"

namespace debrief::commands {
namespace {

bool is_clock_time(std::string_view text) {
    return text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) && std::isdigit(static_cast<unsigned char>(text[1])) &&
           std::isdigit(static_cast<unsigned char>(text[3])) && std::isdigit(static_cast<unsigned char>(text[4])) &&
           (text[0] - '0') * 10 + (text[1] - '0') < 24 && (text[3] - '0') * 10 + (text[4] - '0') < 60;
}

// An IANA zone name as a shape check (Area/Location, letters, '_', '-', '+', digits); the zone database is the
// client's concern, a typo here is caught by shape only.
bool looks_like_time_zone(std::string_view zone) {
    if (zone == "UTC") return true;
    if (zone.size() > 64 || zone.find('/') == std::string_view::npos || zone.front() == '/' || zone.back() == '/') return false;
    return std::all_of(zone.begin(), zone.end(), [](unsigned char c) { return std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+'; });
}

bool contains(const std::vector<std::string>& list, std::string_view value) { return std::find(list.begin(), list.end(), value) != list.end(); }

}  // namespace

const std::vector<std::string>& voice_tones() {
    static const std::vector<std::string> tones{"warm", "direct", "formal", "encouraging", "neutral"};
    return tones;
}

const std::vector<std::string>& notification_events() {
    static const std::vector<std::string> events{"summary_drafted", "action_item_due", "action_item_overdue", "note_added", "follow_up_sent",
                                                 "follow_up_failed"};
    return events;
}

std::string voice_instructions(const UserState& coach) {
    if (coach.voice.tone.empty()) return {};
    std::string out = "\nWrite in a " + coach.voice.tone + " tone.";
    if (!coach.voice.phrases_to_avoid.empty()) {
        out += " Avoid these phrases:";
        for (std::size_t i = 0; i < coach.voice.phrases_to_avoid.size(); ++i) out += (i ? ", \"" : " \"") + coach.voice.phrases_to_avoid[i] + "\"";
        out += ".";
    }
    return out;
}

std::string sign_off_of(const UserState& coach) {
    if (!coach.voice.sign_off.empty()) return coach.voice.sign_off;
    return "Best regards,\n" + coach.name;
}

Result<std::vector<events::Payload>> decide(const UserState& user, const SetVoiceProfile& command) {
    if (!user.exists || !visible_to(command.actor, user.organization_id)) return not_found("user_not_found", "no such user");
    if (auto refused = refusal_to_act_for_coach(command.actor, command.user_id, user)) return *refused;
    if (!contains(voice_tones(), command.tone)) return invalid("invalid_tone", "tone must be one of warm, direct, formal, encouraging, neutral");
    auto sign_off = std::string(trim(command.sign_off));
    if (sign_off.size() > 300) return invalid("field_too_long", "sign_off must be at most 300 characters");
    if (auto bad = check_text("sign_off", sign_off, TextKind::multiline)) return *bad;
    if (command.phrases_to_avoid.size() > 30) return invalid("too_many_items", "at most 30 phrases to avoid");
    std::vector<std::string> avoid;
    for (const auto& phrase : command.phrases_to_avoid) {
        auto p = std::string(trim(phrase));
        if (p.empty() || p.size() > 100) return invalid("invalid_field", "each phrase to avoid is 1 to 100 characters");
        if (auto bad = check_text("phrases_to_avoid", p, TextKind::line)) return *bad;
        if (!contains(avoid, p)) avoid.push_back(p);
    }
    events::VoiceProfileSet event{command.user_id, command.tone, sign_off, avoid};
    if (event == user.voice) return conflict("profile_unchanged", "the voice profile is already set to this");
    return std::vector<events::Payload>{std::move(event)};
}

Result<std::vector<events::Payload>> decide(const UserState& user, const SetNotificationPreferences& command) {
    if (!user.exists || !visible_to(command.actor, user.organization_id)) return not_found("user_not_found", "no such user");
    if (command.actor.user_id != command.user_id && command.actor.role != "admin")
        return Error{ErrorKind::forbidden, "forbidden", "users set their own notification preferences (or an admin does)"};
    if (command.email_digest != "off" && command.email_digest != "daily" && command.email_digest != "weekly")
        return invalid("invalid_field", "email_digest must be one of off, daily, weekly");
    std::vector<std::string> notify_on;
    for (const auto& name : command.notify_on) {
        if (!contains(notification_events(), name))
            return invalid("invalid_field", "unknown notification '" + name +
                                                "' (known: summary_drafted, action_item_due, action_item_overdue, note_added, follow_up_sent, "
                                                "follow_up_failed)");
        if (!contains(notify_on, name)) notify_on.push_back(name);
    }
    bool start = !command.quiet_hours_start.empty(), end = !command.quiet_hours_end.empty();
    if (start != end) return invalid("invalid_field", "quiet hours need both quiet_hours_start and quiet_hours_end");
    if ((start && !is_clock_time(command.quiet_hours_start)) || (end && !is_clock_time(command.quiet_hours_end)))
        return invalid("invalid_field", "quiet hours are HH:MM, e.g. 20:00");
    if (!command.time_zone.empty() && !looks_like_time_zone(command.time_zone))
        return invalid("invalid_field", "time_zone must be an IANA zone name such as Europe/Berlin");
    events::NotificationPreferencesSet event{command.user_id, command.email_digest, notify_on, command.quiet_hours_start, command.quiet_hours_end,
                                             command.time_zone};
    if (event == user.notifications) return conflict("preferences_unchanged", "the preferences are already set to this");
    return std::vector<events::Payload>{std::move(event)};
}

}  // namespace debrief::commands
