// libFuzzer target: JSON request bodies through every route that decodes one. The input's first line names the
// route ("refine", "session", ...), the rest is the body; the request carries the admin's token and the baseline's ids.

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/api_fuzz_world.hpp"

using namespace debrief;

namespace {

struct Route {
    std::string_view name;
    const char* method;
    const char* target;  // placeholders as in api_fuzz_world.hpp
    bool authenticated = true;
    const char* content_type = "application/json";
};

constexpr Route routes[] = {
    {"signup", "POST", "/v1/signup", false},
    {"login", "POST", "/v1/auth/login", false},
    {"refresh", "POST", "/v1/auth/refresh", false},
    {"session", "POST", "/v1/sessions"},
    {"client", "POST", "/v1/clients"},
    {"user", "POST", "/v1/users"},
    {"user_role", "POST", "/v1/users/{coach}/role"},
    {"user_deactivate", "POST", "/v1/users/{coach}/deactivate"},
    {"voice_profile", "PUT", "/v1/users/{admin}/voice-profile"},
    {"notification_preferences", "PUT", "/v1/users/{admin}/notification-preferences"},
    {"refine", "POST", "/v1/summaries/{summary}/refine"},
    {"approve", "POST", "/v1/summaries/{summary}/approve"},
    {"reopen", "POST", "/v1/summaries/{summary}/reopen"},
    {"action_item", "POST", "/v1/action-items"},
    {"assign", "POST", "/v1/action-items/{action_item}/assign"},
    {"reschedule", "POST", "/v1/action-items/{action_item}/reschedule"},
    {"cancel", "POST", "/v1/action-items/{action_item}/cancel"},
    {"note", "POST", "/v1/notes"},
    {"address_note", "POST", "/v1/notes/{note}/address"},
    {"template", "POST", "/v1/templates"},
    {"revise_template", "PUT", "/v1/templates/{template}"},
    {"follow_up", "POST", "/v1/follow-ups"},
    {"metrics_import", "POST", "/v1/metrics/imports?file_name=week.csv", true, "text/csv"},
    {"settle_import", "POST", "/v1/metrics/imports/{import}/commit"},
    {"mfa_confirm", "POST", "/v1/users/me/mfa/confirm"},
    {"mfa_disable", "DELETE", "/v1/users/me/mfa"},
    {"mfa_policy", "PUT", "/v1/organization/mfa-policy"},
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return fuzz::start(); }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto newline = input.find('\n');
    if (newline == std::string_view::npos) return 0;
    const Route* route = nullptr;
    for (const auto& r : routes)
        if (r.name == input.substr(0, newline)) route = &r;
    if (!route) return -1;  // not kept in the corpus
    auto& shared = fuzz::shared();
    fuzz::World world(shared);
    const auto appended = world.appended();
    auto response = fuzz::call(world, route->method, fuzz::substitute(route->target), fuzz::substitute(std::string(input.substr(newline + 1))),
                               route->authenticated ? shared.access_token : "", route->content_type);
    fuzz::check_response(response);
    FUZZ_CHECK(response.status < 500);  // none of these routes reads PostgreSQL or waits for a read model
    if (response.status >= 400) FUZZ_CHECK(world.appended() == appended);
    return 0;
}
