// The audit trail's record: one read of private material, who read it, whose it was, when and from where. Ids only,
// never content (schemas/audit.fbs). Written to the private `debrief.audit` topic by an AuditTrail, kept queryable
// by the audit read model (projections/postgres/audit_projector.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "events/ids.hpp"

namespace debrief::events {

struct AuditRecord {
    std::string id;
    OrganizationId organization_id;
    UserId actor_id;
    std::string actor_role;
    std::string action;
    std::string resource;
    std::string subject_id;  // empty: the material concerned no one identified (e.g. a transcript of unmatched speakers)
    std::string outcome = "allowed";
    std::int64_t at_ms = 0;
    std::string address;
    std::string correlation_id;
    bool operator==(const AuditRecord&) const = default;
};

inline constexpr const char* audit_record_content_type = "application/x-flatbuffers;schema=debrief.schema.AuditRecord";
std::string encode(const AuditRecord& record);
// Verifies the buffer first: bytes from a topic are untrusted input.
Result<AuditRecord> decode_audit_record(std::string_view bytes);

}  // namespace debrief::events
