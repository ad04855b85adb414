// What each event changes in the search index: the documents of a session's transcript (one per segment), of a
// summary (one per section, its current version: a refinement replaces them), of an action item and of a note, with
// who they concern and what they are filed under, remembered from the events that say so (sessions, clients,
// users). Pure over an IndexWriter: no Kafka, no clock.
#pragma once

#include <string>

#include "events/event.hpp"
#include "events/event_dispatch.hpp"
#include "projections/search/index_writer.hpp"

namespace debrief::projections {

class SearchIndexer {
public:
    explicit SearchIndexer(IndexWriter& index) : index_(index) {}

    using Ignores = concat_t<events::IgnoreAggregates<ApiKeyId, TemplateId, FollowUpId, MetricsImportId>,
                             TypeList<events::OrganizationCreated, events::MfaPolicySet, events::TranscriptUploaded, events::SessionAnalysed,
                                      events::SessionProcessingFailed, events::ActionItemAssigned, events::ActionItemRescheduled,
                                      events::ActionItemCompleted, events::ActionItemReopened, events::ActionItemCancelled,
                                      events::NoteAddressed, events::UserDeactivated, events::UserReactivated, events::VoiceProfileSet,
                                      events::NotificationPreferencesSet>>;

    void apply(const events::Event& event);

    void on(const events::UserRegistered& e);
    void on(const events::UserRoleChanged& e);
    void on(const events::ClientRegistered& e);
    void on(const events::ClientErased& e);
    void on(const events::SessionCreated& e);
    void on(const events::TranscriptParsed& e);
    void on(const events::SummaryDrafted& e);
    void on(const events::SummaryRefined& e);
    void on(const events::SummaryApproved& e);
    void on(const events::SummaryReopened& e);
    void on(const events::ActionItemCreated& e);
    void on(const events::NoteAdded& e);

private:
    void index_summary(const SummaryId& id, const events::SummaryContent& content, std::optional<bool> approved);
    void replace(const std::string& thing, const std::vector<SearchDocument>& documents);
    SearchDocument about_client(SearchField field, const std::string& id, const ClientId& client, const UserId& coach, const SessionId& session);

    IndexWriter& index_;
    std::string org_;
    std::string today_;  // the day the event happened: the date of what is not about a session
};

}  // namespace debrief::projections
