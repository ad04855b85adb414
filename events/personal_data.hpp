// Which fields of each event are personal data, and whose: the plan the codec seals by (schemas/sealed.fbs). Every
// event type has a plan, even an empty one, or the codec does not compile; docs/events.md lists the same fields.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"

namespace debrief::events::personal_data {

// A data subject: whose key seals a value. A client, a user (a coach's or an admin's own data), or a session, for
// the raw transcript, which mixes everyone who spoke (erasing any of its speakers shreds it).
inline std::string subject_of(const ClientId& id) { return id.empty() ? std::string{} : "client:" + id.value; }
inline std::string subject_of(const UserId& id) { return id.empty() ? std::string{} : "user:" + id.value; }
inline std::string subject_of(const SessionId& id) { return id.empty() ? std::string{} : "session:" + id.value; }

// The id a subject names, when it is of that kind: subject_id<SessionId>("session:s-1") is s-1.
template <typename Id>
std::optional<Id> subject_id(std::string_view subject) {
    const auto kind = Id::tag::aggregate;
    if (subject.size() <= kind.size() + 1 || !subject.starts_with(kind) || subject[kind.size()] != ':') return std::nullopt;
    return Id{std::string(subject.substr(kind.size() + 1))};
}

// An event's plan calls visit(subject, field) for each personal string field, always in the same order: that
// order numbers the slots of a seal, so a plan may only grow at its end. Vectors are visited element by element, so
// their length (a count) stays clear. An empty subject is a bug the codec refuses (events/codec.cpp). An event type
// without a plan does not compile.

template <typename Visit>
void each(const std::string& subject, std::vector<std::string>& values, Visit& visit) {
    for (auto& value : values) visit(subject, value);
}

template <typename Visit>
void content(const std::string& subject, SummaryContent& c, Visit& visit) {
    each(subject, c.wins, visit);
    each(subject, c.challenges, visit);
    for (auto& item : c.action_items) visit(subject, item.title);
    each(subject, c.coach_recommendations, visit);
}

#define DEBRIEF_NOTHING_PERSONAL(Event) \
    template <typename Visit>          \
    void plan(Event&, Visit&) {}

DEBRIEF_NOTHING_PERSONAL(OrganizationCreated)  // an organization is no person
DEBRIEF_NOTHING_PERSONAL(SessionCreated)
DEBRIEF_NOTHING_PERSONAL(SessionAnalysed)
DEBRIEF_NOTHING_PERSONAL(ActionItemAssigned)
DEBRIEF_NOTHING_PERSONAL(ActionItemRescheduled)
DEBRIEF_NOTHING_PERSONAL(ActionItemCompleted)
DEBRIEF_NOTHING_PERSONAL(ActionItemReopened)
DEBRIEF_NOTHING_PERSONAL(NoteAddressed)
DEBRIEF_NOTHING_PERSONAL(TemplateCreated)  // templates are the organization's texts, with variables for people
DEBRIEF_NOTHING_PERSONAL(TemplateRevised)
DEBRIEF_NOTHING_PERSONAL(FollowUpScheduled)
DEBRIEF_NOTHING_PERSONAL(FollowUpSent)
DEBRIEF_NOTHING_PERSONAL(UserRoleChanged)
DEBRIEF_NOTHING_PERSONAL(UserReactivated)
DEBRIEF_NOTHING_PERSONAL(NotificationPreferencesSet)
// Metrics rows are numbers under a client id: pseudonymous once the client's name can no longer be opened.
DEBRIEF_NOTHING_PERSONAL(MetricsImportRowsStaged)
DEBRIEF_NOTHING_PERSONAL(MetricsImportCommitted)
DEBRIEF_NOTHING_PERSONAL(MetricsImportDiscarded)
DEBRIEF_NOTHING_PERSONAL(ClientErased)  // ids only
DEBRIEF_NOTHING_PERSONAL(MfaPolicySet)  // roles
DEBRIEF_NOTHING_PERSONAL(ApiKeyCreated)  // a key's name names an integration, not a person
DEBRIEF_NOTHING_PERSONAL(ApiKeyUsed)
DEBRIEF_NOTHING_PERSONAL(ApiKeyRevoked)

template <typename Visit>
void plan(UserRegistered& e, Visit& visit) {
    const auto subject = subject_of(e.user_id);
    visit(subject, e.name);
    visit(subject, e.email);
}

template <typename Visit>
void plan(ClientRegistered& e, Visit& visit) {
    const auto subject = subject_of(e.client_id);
    visit(subject, e.name);
    visit(subject, e.email);
    each(subject, e.tags, visit);
}

template <typename Visit>
void plan(TranscriptUploaded& e, Visit& visit) {
    const auto session = subject_of(e.session_id);
    visit(session, e.text);
    for (auto& mapping : e.speaker_clients) visit(subject_of(mapping.client_id), mapping.speaker);
    visit(session, e.coach_speaker);
}

// Each speaker's name and words are sealed with their client's key; the coach's and unmatched speakers' with the
// session's. Subjects are worked out before anything is visited: a visit may empty the names they come from.
template <typename Visit>
void plan(TranscriptParsed& e, Visit& visit) {
    const auto session = subject_of(e.session_id);
    std::map<std::string, std::string, std::less<>> subject_of_speaker;
    std::vector<std::string> participant_subjects;
    for (const auto& p : e.participants) {
        participant_subjects.push_back(p.client_id.empty() ? session : subject_of(p.client_id));
        subject_of_speaker.emplace(p.name, participant_subjects.back());
    }
    std::vector<std::string> segment_subjects;
    for (const auto& s : e.segments) {
        auto found = subject_of_speaker.find(s.speaker);
        segment_subjects.push_back(found == subject_of_speaker.end() ? session : found->second);
    }
    for (std::size_t i = 0; i < e.participants.size(); ++i) visit(participant_subjects[i], e.participants[i].name);
    for (std::size_t i = 0; i < e.segments.size(); ++i) {
        visit(segment_subjects[i], e.segments[i].speaker);
        visit(segment_subjects[i], e.segments[i].text);
    }
}

template <typename Visit>
void plan(SessionProcessingFailed& e, Visit& visit) { visit(subject_of(e.session_id), e.reason); }  // may quote the transcript

template <typename Visit>
void plan(SummaryDrafted& e, Visit& visit) { content(subject_of(e.client_id), e.content, visit); }

template <typename Visit>
void plan(SummaryRefined& e, Visit& visit) {
    const auto subject = subject_of(e.client_id);
    visit(subject, e.message);
    visit(subject, e.reply);
    content(subject, e.before, visit);
    content(subject, e.after, visit);
}

template <typename Visit>
void plan(SummaryApproved& e, Visit& visit) { content(subject_of(e.client_id), e.content, visit); }

template <typename Visit>
void plan(SummaryReopened& e, Visit& visit) { visit(subject_of(e.client_id), e.reason); }

template <typename Visit>
void plan(ActionItemCreated& e, Visit& visit) { visit(e.client_id.empty() ? subject_of(e.coach_id) : subject_of(e.client_id), e.title); }

template <typename Visit>
void plan(ActionItemCancelled& e, Visit& visit) { visit(subject_of(e.client_id), e.reason); }

template <typename Visit>
void plan(NoteAdded& e, Visit& visit) { visit(subject_of(e.client_id), e.text); }

template <typename Visit>
void plan(FollowUpDrafted& e, Visit& visit) {
    const auto subject = subject_of(e.client_id);
    visit(subject, e.recipient);
    visit(subject, e.subject);
    visit(subject, e.body);
}

template <typename Visit>
void plan(FollowUpDeliveryFailed& e, Visit& visit) { visit(subject_of(e.client_id), e.error); }

template <typename Visit>
void plan(UserDeactivated& e, Visit& visit) { visit(subject_of(e.user_id), e.reason); }

template <typename Visit>
void plan(VoiceProfileSet& e, Visit& visit) {
    const auto subject = subject_of(e.user_id);
    visit(subject, e.sign_off);  // a coach signs with their name
    each(subject, e.phrases_to_avoid, visit);
}

template <typename Visit>
void plan(MetricsImportStaged& e, Visit& visit) { visit(subject_of(e.importer_id), e.file_name); }  // file names often name people

#undef DEBRIEF_NOTHING_PERSONAL

}  // namespace debrief::events::personal_data
