// Distinct id types so a SessionId can never be passed where a UserId is expected.
#pragma once

#include <compare>
#include <functional>
#include <string>

namespace debrief {

template <typename Tag>
struct Id {
    std::string value;
    bool empty() const { return value.empty(); }
    auto operator<=>(const Id&) const = default;
};

using OrganizationId = Id<struct OrganizationTag>;
using UserId = Id<struct UserTag>;
using SessionId = Id<struct SessionTag>;
using ClientId = Id<struct ClientTag>;
using SummaryId = Id<struct SummaryTag>;
using ActionItemId = Id<struct ActionItemTag>;
using NoteId = Id<struct NoteTag>;
using TemplateId = Id<struct TemplateTag>;
using FollowUpId = Id<struct FollowUpTag>;
using MetricsImportId = Id<struct MetricsImportTag>;

}  // namespace debrief

template <typename Tag>
struct std::hash<debrief::Id<Tag>> {
    std::size_t operator()(const debrief::Id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.value); }
};
