// FlatBuffers encoding of events; the only file that knows the generated schema types.
#include "events/codec.hpp"

#include <flatbuffers/flatbuffers.h>

#include "common/overloaded.hpp"
#include "schemas/credential_generated.h"
#include "schemas/envelope_generated.h"

namespace debrief::events {
namespace fb = debrief::schema;
namespace {

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string{}; }

std::vector<std::string> strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* list) {
    std::vector<std::string> out;
    if (list)
        for (const auto* s : *list) out.push_back(str(s));
    return out;
}

std::vector<flatbuffers::Offset<flatbuffers::String>> strings(flatbuffers::FlatBufferBuilder& b, const std::vector<std::string>& list) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> out;
    out.reserve(list.size());
    for (const auto& s : list) out.push_back(b.CreateString(s));
    return out;
}

flatbuffers::Offset<fb::SummaryContent> build_content(flatbuffers::FlatBufferBuilder& b, const SummaryContent& content) {
    auto wins = strings(b, content.wins);
    auto challenges = strings(b, content.challenges);
    auto recommendations = strings(b, content.coach_recommendations);
    std::vector<flatbuffers::Offset<fb::ActionItemDraft>> items;
    for (const auto& item : content.action_items)
        items.push_back(fb::CreateActionItemDraftDirect(b, item.title.c_str(), item.owner_id.c_str(), item.due_date.c_str()));
    return fb::CreateSummaryContentDirect(b, &wins, &challenges, &items, &recommendations);
}

SummaryContent read_content(const fb::SummaryContent* content) {
    SummaryContent out;
    if (!content) return out;
    out.wins = strings(content->wins());
    out.challenges = strings(content->challenges());
    out.coach_recommendations = strings(content->coach_recommendations());
    if (content->action_items())
        for (const auto* item : *content->action_items()) out.action_items.push_back({str(item->title()), str(item->owner_id()), str(item->due_date())});
    return out;
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::MetricsRow>>> build_rows(flatbuffers::FlatBufferBuilder& b,
                                                                                        const std::vector<MetricsRow>& rows) {
    std::vector<flatbuffers::Offset<fb::MetricsRow>> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        std::vector<flatbuffers::Offset<fb::MetricValue>> values;
        values.reserve(row.values.size());
        // Shared strings: metric names, agents and dates repeat on every row of a file.
        for (const auto& v : row.values) values.push_back(fb::CreateMetricValue(b, b.CreateSharedString(v.metric), v.value));
        out.push_back(fb::CreateMetricsRow(b, row.row, b.CreateSharedString(row.client_id.value), b.CreateSharedString(row.date), b.CreateVector(values)));
    }
    return b.CreateVector(out);
}

std::vector<MetricsRow> read_rows(const flatbuffers::Vector<flatbuffers::Offset<fb::MetricsRow>>* rows) {
    std::vector<MetricsRow> out;
    if (!rows) return out;
    out.reserve(rows->size());
    for (const auto* row : *rows) {
        MetricsRow r{row->row(), {str(row->client_id())}, str(row->date()), {}};
        if (row->values())
            for (const auto* v : *row->values()) r.values.push_back({str(v->metric()), v->value()});
        out.push_back(std::move(r));
    }
    return out;
}

std::pair<fb::EventPayload, flatbuffers::Offset<void>> build_payload(flatbuffers::FlatBufferBuilder& b, const Payload& payload) {
    return std::visit(
        overloaded{
            [&](const OrganizationCreated& e) {
                auto off = fb::CreateOrganizationCreatedDirect(b, e.organization_id.value.c_str(), e.name.c_str());
                return std::pair{fb::EventPayload::OrganizationCreated, off.Union()};
            },
            [&](const UserRegistered& e) {
                auto off = fb::CreateUserRegisteredDirect(b, e.user_id.value.c_str(), e.name.c_str(), e.email.c_str(), e.role.c_str(),
                                                          e.lead_id.value.c_str(), e.client_id.value.c_str());
                return std::pair{fb::EventPayload::UserRegistered, off.Union()};
            },
            [&](const SummaryDrafted& e) {
                auto content = build_content(b, e.content);
                auto off = fb::CreateSummaryDraftedDirect(b, e.summary_id.value.c_str(), e.session_id.value.c_str(), e.client_id.value.c_str(),
                                                          e.coach_id.value.c_str(), content, e.engagement.c_str(), e.breakthrough,
                                                          e.priority_score, e.analyser.c_str());
                return std::pair{fb::EventPayload::SummaryDrafted, off.Union()};
            },
            [&](const SummaryRefined& e) {
                auto before = build_content(b, e.before);
                auto after = build_content(b, e.after);
                auto off = fb::CreateSummaryRefinedDirect(b, e.summary_id.value.c_str(), e.message.c_str(), e.reply.c_str(), before, after,
                                                          e.refiner.c_str());
                return std::pair{fb::EventPayload::SummaryRefined, off.Union()};
            },
            [&](const SummaryApproved& e) {
                auto content = build_content(b, e.content);
                auto off = fb::CreateSummaryApprovedDirect(b, e.summary_id.value.c_str(), content);
                return std::pair{fb::EventPayload::SummaryApproved, off.Union()};
            },
            [&](const SummaryReopened& e) {
                auto off = fb::CreateSummaryReopenedDirect(b, e.summary_id.value.c_str(), e.reason.c_str());
                return std::pair{fb::EventPayload::SummaryReopened, off.Union()};
            },
            [&](const ActionItemCreated& e) {
                auto off = fb::CreateActionItemCreatedDirect(b, e.action_item_id.value.c_str(), e.client_id.value.c_str(), e.coach_id.value.c_str(),
                                                             e.title.c_str(), e.owner_id.c_str(), e.due_date.c_str(), e.source.c_str(),
                                                             e.session_id.value.c_str(), e.summary_id.value.c_str());
                return std::pair{fb::EventPayload::ActionItemCreated, off.Union()};
            },
            [&](const ActionItemAssigned& e) {
                auto off = fb::CreateActionItemAssignedDirect(b, e.action_item_id.value.c_str(), e.value.c_str());
                return std::pair{fb::EventPayload::ActionItemAssigned, off.Union()};
            },
            [&](const ActionItemRescheduled& e) {
                auto off = fb::CreateActionItemRescheduledDirect(b, e.action_item_id.value.c_str(), e.value.c_str());
                return std::pair{fb::EventPayload::ActionItemRescheduled, off.Union()};
            },
            [&](const ActionItemCompleted& e) {
                auto off = fb::CreateActionItemCompletedDirect(b, e.action_item_id.value.c_str());
                return std::pair{fb::EventPayload::ActionItemCompleted, off.Union()};
            },
            [&](const ActionItemReopened& e) {
                auto off = fb::CreateActionItemReopenedDirect(b, e.action_item_id.value.c_str());
                return std::pair{fb::EventPayload::ActionItemReopened, off.Union()};
            },
            [&](const ActionItemCancelled& e) {
                auto off = fb::CreateActionItemCancelledDirect(b, e.action_item_id.value.c_str(), e.value.c_str());
                return std::pair{fb::EventPayload::ActionItemCancelled, off.Union()};
            },
            [&](const NoteAdded& e) {
                auto off = fb::CreateNoteAddedDirect(b, e.note_id.value.c_str(), e.client_id.value.c_str(), e.coach_id.value.c_str(), e.text.c_str());
                return std::pair{fb::EventPayload::NoteAdded, off.Union()};
            },
            [&](const NoteAddressed& e) {
                auto off = fb::CreateNoteAddressedDirect(b, e.note_id.value.c_str(), e.session_id.value.c_str());
                return std::pair{fb::EventPayload::NoteAddressed, off.Union()};
            },
            [&](const TemplateCreated& e) {
                auto off = fb::CreateTemplateCreatedDirect(b, e.template_id.value.c_str(), e.kind.c_str(), e.name.c_str(), e.subject.c_str(),
                                                           e.body.c_str(), e.owner_id.value.c_str());
                return std::pair{fb::EventPayload::TemplateCreated, off.Union()};
            },
            [&](const TemplateRevised& e) {
                auto off = fb::CreateTemplateRevisedDirect(b, e.template_id.value.c_str(), e.name.c_str(), e.subject.c_str(), e.body.c_str());
                return std::pair{fb::EventPayload::TemplateRevised, off.Union()};
            },
            [&](const FollowUpDrafted& e) {
                auto off = fb::CreateFollowUpDraftedDirect(b, e.follow_up_id.value.c_str(), e.summary_id.value.c_str(), e.session_id.value.c_str(),
                                                           e.client_id.value.c_str(), e.coach_id.value.c_str(), e.template_id.c_str(),
                                                           e.recipient.c_str(), e.subject.c_str(), e.body.c_str());
                return std::pair{fb::EventPayload::FollowUpDrafted, off.Union()};
            },
            [&](const FollowUpScheduled& e) {
                auto off = fb::CreateFollowUpScheduledDirect(b, e.follow_up_id.value.c_str(), e.send_at_ms);
                return std::pair{fb::EventPayload::FollowUpScheduled, off.Union()};
            },
            [&](const FollowUpSent& e) {
                auto off = fb::CreateFollowUpSentDirect(b, e.follow_up_id.value.c_str(), e.attempt, e.channel.c_str(), e.message_id.c_str());
                return std::pair{fb::EventPayload::FollowUpSent, off.Union()};
            },
            [&](const FollowUpDeliveryFailed& e) {
                auto off = fb::CreateFollowUpDeliveryFailedDirect(b, e.follow_up_id.value.c_str(), e.attempt, e.error.c_str(), e.retry_at_ms, e.gave_up);
                return std::pair{fb::EventPayload::FollowUpDeliveryFailed, off.Union()};
            },
            [&](const UserRoleChanged& e) {
                auto off = fb::CreateUserRoleChangedDirect(b, e.user_id.value.c_str(), e.role.c_str(), e.lead_id.value.c_str());
                return std::pair{fb::EventPayload::UserRoleChanged, off.Union()};
            },
            [&](const UserDeactivated& e) {
                auto off = fb::CreateUserDeactivatedDirect(b, e.user_id.value.c_str(), e.reason.c_str());
                return std::pair{fb::EventPayload::UserDeactivated, off.Union()};
            },
            [&](const UserReactivated& e) {
                auto off = fb::CreateUserReactivatedDirect(b, e.user_id.value.c_str());
                return std::pair{fb::EventPayload::UserReactivated, off.Union()};
            },
            [&](const VoiceProfileSet& e) {
                auto avoid = strings(b, e.phrases_to_avoid);
                auto off = fb::CreateVoiceProfileSetDirect(b, e.user_id.value.c_str(), e.tone.c_str(), e.sign_off.c_str(), &avoid);
                return std::pair{fb::EventPayload::VoiceProfileSet, off.Union()};
            },
            [&](const NotificationPreferencesSet& e) {
                auto notify_on = strings(b, e.notify_on);
                auto off = fb::CreateNotificationPreferencesSetDirect(b, e.user_id.value.c_str(), e.email_digest.c_str(), &notify_on,
                                                                      e.quiet_hours_start.c_str(), e.quiet_hours_end.c_str(), e.time_zone.c_str());
                return std::pair{fb::EventPayload::NotificationPreferencesSet, off.Union()};
            },
            [&](const MetricsImportStaged& e) {
                auto metrics = strings(b, e.metrics);
                auto metrics_off = b.CreateVector(metrics);
                auto rows = build_rows(b, e.rows);
                auto off = fb::CreateMetricsImportStaged(b, b.CreateString(e.import_id.value), b.CreateString(e.importer_id.value),
                                                         b.CreateString(e.file_name), e.row_count, metrics_off, rows);
                return std::pair{fb::EventPayload::MetricsImportStaged, off.Union()};
            },
            [&](const MetricsImportRowsStaged& e) {
                auto rows = build_rows(b, e.rows);
                auto off = fb::CreateMetricsImportRowsStaged(b, b.CreateString(e.import_id.value), rows);
                return std::pair{fb::EventPayload::MetricsImportRowsStaged, off.Union()};
            },
            [&](const MetricsImportCommitted& e) {
                auto off = fb::CreateMetricsImportCommittedDirect(b, e.import_id.value.c_str());
                return std::pair{fb::EventPayload::MetricsImportCommitted, off.Union()};
            },
            [&](const MetricsImportDiscarded& e) {
                auto off = fb::CreateMetricsImportDiscardedDirect(b, e.import_id.value.c_str());
                return std::pair{fb::EventPayload::MetricsImportDiscarded, off.Union()};
            },
            [&](const SessionAnalysed& e) {
                std::vector<std::string> ids;
                for (const auto& id : e.summary_ids) ids.push_back(id.value);
                auto list = strings(b, ids);
                auto off = fb::CreateSessionAnalysedDirect(b, e.session_id.value.c_str(), &list);
                return std::pair{fb::EventPayload::SessionAnalysed, off.Union()};
            },
            [&](const ClientRegistered& e) {
                auto tags = strings(b, e.tags);
                auto off = fb::CreateClientRegisteredDirect(b, e.client_id.value.c_str(), e.name.c_str(), e.email.c_str(), &tags, e.team.c_str(),
                                                            e.coach_id.value.c_str(), e.source.c_str());
                return std::pair{fb::EventPayload::ClientRegistered, off.Union()};
            },
            [&](const SessionCreated& e) {
                auto off = fb::CreateSessionCreatedDirect(b, e.session_id.value.c_str(), e.coach_id.value.c_str(),
                                                          e.session_date.c_str(), e.session_type.c_str());
                return std::pair{fb::EventPayload::SessionCreated, off.Union()};
            },
            [&](const TranscriptUploaded& e) {
                std::vector<flatbuffers::Offset<fb::SpeakerClient>> mapping;
                for (const auto& m : e.speaker_clients) mapping.push_back(fb::CreateSpeakerClientDirect(b, m.speaker.c_str(), m.client_id.value.c_str()));
                auto off = fb::CreateTranscriptUploadedDirect(b, e.session_id.value.c_str(), e.format.c_str(), e.text.c_str(), &mapping,
                                                              e.coach_speaker.c_str());
                return std::pair{fb::EventPayload::TranscriptUploaded, off.Union()};
            },
            [&](const TranscriptParsed& e) {
                std::vector<flatbuffers::Offset<fb::Participant>> participants;
                participants.reserve(e.participants.size());
                for (const auto& p : e.participants)
                    participants.push_back(fb::CreateParticipantDirect(b, p.name.c_str(), p.speaking_seconds, p.word_count, p.turn_count,
                                                                       p.client_id.value.c_str(), p.is_coach));
                std::vector<flatbuffers::Offset<fb::Segment>> segments;
                segments.reserve(e.segments.size());
                for (const auto& s : e.segments)
                    segments.push_back(fb::CreateSegmentDirect(b, s.speaker.c_str(), s.start_seconds.value_or(-1),
                                                               s.end_seconds.value_or(-1), s.text.c_str()));
                auto off = fb::CreateTranscriptParsedDirect(b, e.session_id.value.c_str(), e.timed, &participants, &segments);
                return std::pair{fb::EventPayload::TranscriptParsed, off.Union()};
            },
        },
        payload);
}

std::optional<double> optional_time(double seconds) {
    if (seconds < 0) return std::nullopt;
    return seconds;
}

Result<Payload> read_payload(const fb::Envelope& envelope) {
    switch (envelope.payload_type()) {
        case fb::EventPayload::OrganizationCreated: {
            auto e = envelope.payload_as_OrganizationCreated();
            return Payload{OrganizationCreated{{str(e->organization_id())}, str(e->name())}};
        }
        case fb::EventPayload::UserRegistered: {
            auto e = envelope.payload_as_UserRegistered();
            return Payload{UserRegistered{{str(e->user_id())}, str(e->name()), str(e->email()), str(e->role()), {str(e->lead_id())},
                                          {str(e->client_id())}}};
        }
        case fb::EventPayload::SummaryDrafted: {
            auto e = envelope.payload_as_SummaryDrafted();
            return Payload{SummaryDrafted{{str(e->summary_id())}, {str(e->session_id())}, {str(e->client_id())}, {str(e->coach_id())},
                                          read_content(e->content()), str(e->engagement()), e->breakthrough(), e->priority_score(),
                                          str(e->analyser())}};
        }
        case fb::EventPayload::SummaryRefined: {
            auto e = envelope.payload_as_SummaryRefined();
            return Payload{SummaryRefined{{str(e->summary_id())}, str(e->message()), str(e->reply()), read_content(e->before()),
                                          read_content(e->after()), str(e->refiner())}};
        }
        case fb::EventPayload::SummaryApproved: {
            auto e = envelope.payload_as_SummaryApproved();
            return Payload{SummaryApproved{{str(e->summary_id())}, read_content(e->content())}};
        }
        case fb::EventPayload::SummaryReopened: {
            auto e = envelope.payload_as_SummaryReopened();
            return Payload{SummaryReopened{{str(e->summary_id())}, str(e->reason())}};
        }
        case fb::EventPayload::ActionItemCreated: {
            auto e = envelope.payload_as_ActionItemCreated();
            return Payload{ActionItemCreated{{str(e->action_item_id())}, {str(e->client_id())}, {str(e->coach_id())}, str(e->title()),
                                             str(e->owner_id()), str(e->due_date()), str(e->source()), {str(e->session_id())},
                                             {str(e->summary_id())}}};
        }
        case fb::EventPayload::ActionItemAssigned: {
            auto e = envelope.payload_as_ActionItemAssigned();
            return Payload{ActionItemAssigned{{str(e->action_item_id())}, str(e->owner_id())}};
        }
        case fb::EventPayload::ActionItemRescheduled: {
            auto e = envelope.payload_as_ActionItemRescheduled();
            return Payload{ActionItemRescheduled{{str(e->action_item_id())}, str(e->due_date())}};
        }
        case fb::EventPayload::ActionItemCompleted:
            return Payload{ActionItemCompleted{{str(envelope.payload_as_ActionItemCompleted()->action_item_id())}, {}}};
        case fb::EventPayload::ActionItemReopened:
            return Payload{ActionItemReopened{{str(envelope.payload_as_ActionItemReopened()->action_item_id())}, {}}};
        case fb::EventPayload::ActionItemCancelled: {
            auto e = envelope.payload_as_ActionItemCancelled();
            return Payload{ActionItemCancelled{{str(e->action_item_id())}, str(e->reason())}};
        }
        case fb::EventPayload::NoteAdded: {
            auto e = envelope.payload_as_NoteAdded();
            return Payload{NoteAdded{{str(e->note_id())}, {str(e->client_id())}, {str(e->coach_id())}, str(e->text())}};
        }
        case fb::EventPayload::NoteAddressed: {
            auto e = envelope.payload_as_NoteAddressed();
            return Payload{NoteAddressed{{str(e->note_id())}, {str(e->session_id())}}};
        }
        case fb::EventPayload::TemplateCreated: {
            auto e = envelope.payload_as_TemplateCreated();
            return Payload{TemplateCreated{{str(e->template_id())}, str(e->kind()), str(e->name()), str(e->subject()), str(e->body()), {str(e->owner_id())}}};
        }
        case fb::EventPayload::TemplateRevised: {
            auto e = envelope.payload_as_TemplateRevised();
            return Payload{TemplateRevised{{str(e->template_id())}, str(e->name()), str(e->subject()), str(e->body())}};
        }
        case fb::EventPayload::FollowUpDrafted: {
            auto e = envelope.payload_as_FollowUpDrafted();
            return Payload{FollowUpDrafted{{str(e->follow_up_id())}, {str(e->summary_id())}, {str(e->session_id())}, {str(e->client_id())},
                                           {str(e->coach_id())}, str(e->template_id()), str(e->recipient()), str(e->subject()), str(e->body())}};
        }
        case fb::EventPayload::FollowUpScheduled: {
            auto e = envelope.payload_as_FollowUpScheduled();
            return Payload{FollowUpScheduled{{str(e->follow_up_id())}, e->send_at_ms()}};
        }
        case fb::EventPayload::FollowUpSent: {
            auto e = envelope.payload_as_FollowUpSent();
            return Payload{FollowUpSent{{str(e->follow_up_id())}, e->attempt(), str(e->channel()), str(e->message_id())}};
        }
        case fb::EventPayload::FollowUpDeliveryFailed: {
            auto e = envelope.payload_as_FollowUpDeliveryFailed();
            return Payload{FollowUpDeliveryFailed{{str(e->follow_up_id())}, e->attempt(), str(e->error()), e->retry_at_ms(), e->gave_up()}};
        }
        case fb::EventPayload::UserRoleChanged: {
            auto e = envelope.payload_as_UserRoleChanged();
            return Payload{UserRoleChanged{{str(e->user_id())}, str(e->role()), {str(e->lead_id())}}};
        }
        case fb::EventPayload::UserDeactivated: {
            auto e = envelope.payload_as_UserDeactivated();
            return Payload{UserDeactivated{{str(e->user_id())}, str(e->reason())}};
        }
        case fb::EventPayload::UserReactivated: {
            auto e = envelope.payload_as_UserReactivated();
            return Payload{UserReactivated{{str(e->user_id())}}};
        }
        case fb::EventPayload::VoiceProfileSet: {
            auto e = envelope.payload_as_VoiceProfileSet();
            return Payload{VoiceProfileSet{{str(e->user_id())}, str(e->tone()), str(e->sign_off()), strings(e->phrases_to_avoid())}};
        }
        case fb::EventPayload::NotificationPreferencesSet: {
            auto e = envelope.payload_as_NotificationPreferencesSet();
            return Payload{NotificationPreferencesSet{{str(e->user_id())}, str(e->email_digest()), strings(e->notify_on()), str(e->quiet_hours_start()),
                                                      str(e->quiet_hours_end()), str(e->time_zone())}};
        }
        case fb::EventPayload::SessionAnalysed: {
            auto e = envelope.payload_as_SessionAnalysed();
            SessionAnalysed analysed{{str(e->session_id())}, {}};
            for (auto& id : strings(e->summary_ids())) analysed.summary_ids.push_back(SummaryId{std::move(id)});
            return Payload{std::move(analysed)};
        }
        case fb::EventPayload::ClientRegistered: {
            auto e = envelope.payload_as_ClientRegistered();
            return Payload{ClientRegistered{{str(e->client_id())}, str(e->name()), str(e->email()), strings(e->tags()), str(e->team()),
                                            {str(e->coach_id())}, str(e->source())}};
        }
        case fb::EventPayload::SessionCreated: {
            auto e = envelope.payload_as_SessionCreated();
            return Payload{SessionCreated{{str(e->session_id())}, {str(e->coach_id())}, str(e->session_date()), str(e->session_type())}};
        }
        case fb::EventPayload::TranscriptUploaded: {
            auto e = envelope.payload_as_TranscriptUploaded();
            TranscriptUploaded uploaded{{str(e->session_id())}, str(e->format()), str(e->text()), {}, str(e->coach_speaker())};
            if (e->speaker_clients())
                for (const auto* m : *e->speaker_clients()) uploaded.speaker_clients.push_back({str(m->speaker()), {str(m->client_id())}});
            return Payload{std::move(uploaded)};
        }
        case fb::EventPayload::TranscriptParsed: {
            auto e = envelope.payload_as_TranscriptParsed();
            TranscriptParsed parsed{{str(e->session_id())}, e->timed(), {}, {}};
            if (e->participants())
                for (const auto* p : *e->participants())
                    parsed.participants.push_back(
                        {str(p->name()), p->speaking_seconds(), p->word_count(), p->turn_count(), {str(p->client_id())}, p->is_coach()});
            if (e->segments())
                for (const auto* s : *e->segments())
                    parsed.segments.push_back({str(s->speaker()), optional_time(s->start_seconds()), optional_time(s->end_seconds()), str(s->text())});
            return Payload{std::move(parsed)};
        }
        case fb::EventPayload::MetricsImportStaged: {
            auto e = envelope.payload_as_MetricsImportStaged();
            return Payload{MetricsImportStaged{{str(e->import_id())}, {str(e->importer_id())}, str(e->file_name()), e->row_count(),
                                               strings(e->metrics()), read_rows(e->rows())}};
        }
        case fb::EventPayload::MetricsImportRowsStaged: {
            auto e = envelope.payload_as_MetricsImportRowsStaged();
            return Payload{MetricsImportRowsStaged{{str(e->import_id())}, read_rows(e->rows())}};
        }
        case fb::EventPayload::MetricsImportCommitted:
            return Payload{MetricsImportCommitted{{str(envelope.payload_as_MetricsImportCommitted()->import_id())}}};
        case fb::EventPayload::MetricsImportDiscarded:
            return Payload{MetricsImportDiscarded{{str(envelope.payload_as_MetricsImportDiscarded()->import_id())}}};
        case fb::EventPayload::NONE:
            break;
            // No default: -Werror=switch makes a payload type this switch forgets a build error.
    }
    // A payload type newer than this build: readers skip it rather than fail (docs/event-schemas.md).
    return Error{ErrorKind::invalid, "unknown_event_type", "payload type " + std::to_string(static_cast<int>(envelope.payload_type()))};
}

}  // namespace

std::string encode(const Event& event) {
    flatbuffers::FlatBufferBuilder b(256);
    auto [type, payload] = build_payload(b, event.payload);
    const auto& m = event.metadata;
    auto envelope = fb::CreateEnvelopeDirect(
        b, m.event_id.c_str(), std::string(type_name(event.payload)).c_str(), 1, m.organization_id.value.c_str(),
        std::string(aggregate_type(event.payload)).c_str(), m.aggregate_id.c_str(), m.aggregate_version, m.occurred_at_ms,
        m.cause.actor_id.value.c_str(), m.cause.correlation_id.c_str(), m.cause.causation_id.c_str(), m.cause.idempotency_key.c_str(), type,
        payload, m.cause.request_hash.c_str());
    fb::FinishEnvelopeBuffer(b, envelope);
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

Result<Event> decode(std::string_view bytes) {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!fb::VerifyEnvelopeBuffer(verifier)) return Error{ErrorKind::invalid, "event_malformed", "not a valid Debrief envelope"};
    const auto* envelope = fb::GetEnvelope(bytes.data());
    auto payload = read_payload(*envelope);
    if (!payload) return payload.error();
    Event event{{}, std::move(payload).value()};
    auto& m = event.metadata;
    m.event_id = str(envelope->event_id());
    m.organization_id = {str(envelope->organization_id())};
    m.aggregate_id = str(envelope->aggregate_id());
    m.aggregate_version = envelope->aggregate_version();
    m.occurred_at_ms = envelope->occurred_at_ms();
    m.cause = {{str(envelope->actor_id())}, str(envelope->correlation_id()), str(envelope->causation_id()), str(envelope->idempotency_key()),
               str(envelope->request_hash())};
    return event;
}

std::string encode(const Credential& credential) {
    flatbuffers::FlatBufferBuilder b(256);
    auto off = fb::CreateCredentialDirect(b, credential.user_id.value.c_str(), credential.organization_id.value.c_str(),
                                          credential.email.c_str(), credential.password_hash.c_str());
    fb::FinishCredentialBuffer(b, off);
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

Result<Credential> decode_credential(std::string_view bytes) {
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (!fb::VerifyCredentialBuffer(verifier)) return Error{ErrorKind::invalid, "credential_malformed", "not a valid credential record"};
    const auto* c = fb::GetCredential(bytes.data());
    return Credential{{str(c->user_id())}, {str(c->organization_id())}, str(c->email()), str(c->password_hash())};
}

}  // namespace debrief::events
