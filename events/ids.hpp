// Distinct id types so a SessionId can never be passed where a UserId is expected.
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>

namespace debrief {

// Tag names the aggregate the id belongs to: its `aggregate` is the envelope's aggregate_type and CloudEvents'
// subject prefix, a public contract.
template <typename Tag>
struct Id {
    using tag = Tag;
    std::string value;
    bool empty() const { return value.empty(); }
    auto operator<=>(const Id&) const = default;
};

struct OrganizationTag { static constexpr std::string_view aggregate = "organization"; };
struct UserTag { static constexpr std::string_view aggregate = "user"; };
struct SessionTag { static constexpr std::string_view aggregate = "session"; };
struct ClientTag { static constexpr std::string_view aggregate = "client"; };
struct SummaryTag { static constexpr std::string_view aggregate = "summary"; };
struct ActionItemTag { static constexpr std::string_view aggregate = "action_item"; };
struct NoteTag { static constexpr std::string_view aggregate = "note"; };
struct TemplateTag { static constexpr std::string_view aggregate = "template"; };
struct FollowUpTag { static constexpr std::string_view aggregate = "follow_up"; };
struct MetricsImportTag { static constexpr std::string_view aggregate = "metrics_import"; };
struct ApiKeyTag { static constexpr std::string_view aggregate = "api_key"; };

using OrganizationId = Id<OrganizationTag>;
using UserId = Id<UserTag>;
using SessionId = Id<SessionTag>;
using ClientId = Id<ClientTag>;
using SummaryId = Id<SummaryTag>;
using ActionItemId = Id<ActionItemTag>;
using NoteId = Id<NoteTag>;
using TemplateId = Id<TemplateTag>;
using FollowUpId = Id<FollowUpTag>;
using MetricsImportId = Id<MetricsImportTag>;
using ApiKeyId = Id<ApiKeyTag>;

}  // namespace debrief

template <typename Tag>
struct std::hash<debrief::Id<Tag>> {
    std::size_t operator()(const debrief::Id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.value); }
};
