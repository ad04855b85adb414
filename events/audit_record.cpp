// AuditRecord to and from schemas/audit.fbs.
#include "events/audit_record.hpp"

#include <flatbuffers/flatbuffers.h>

#include "schemas/audit_generated.h"

namespace debrief::events {
namespace fb = debrief::schema;

std::string encode(const AuditRecord& r) {
    flatbuffers::FlatBufferBuilder b(256);
    fb::FinishAuditRecordBuffer(
        b, fb::CreateAuditRecord(b, b.CreateString(r.id), b.CreateString(r.organization_id.value), b.CreateString(r.actor_id.value),
                                 b.CreateString(r.actor_role), b.CreateString(r.action), b.CreateString(r.resource), b.CreateString(r.subject_id),
                                 b.CreateString(r.outcome), r.at_ms, b.CreateString(r.address), b.CreateString(r.correlation_id)));
    return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

Result<AuditRecord> decode_audit_record(std::string_view bytes) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    flatbuffers::Verifier verifier(data, bytes.size());
    if (bytes.size() < 8 || !fb::AuditRecordBufferHasIdentifier(data) || !fb::VerifyAuditRecordBuffer(verifier))
        return Error{ErrorKind::invalid, "audit_record_malformed", "not a valid audit record"};
    const auto* a = fb::GetAuditRecord(data);
    auto str = [](const flatbuffers::String* s) { return s ? s->str() : std::string{}; };
    return AuditRecord{str(a->id()),       {str(a->organization_id())}, {str(a->actor_id())}, str(a->actor_role()),
                       str(a->action()),   str(a->resource()),          str(a->subject_id()), str(a->outcome()),
                       a->at_ms(),         str(a->address()),           str(a->correlation_id())};
}

}  // namespace debrief::events
