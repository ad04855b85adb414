// Who issues a command: taken from the verified access token, never from the request body.
#pragma once

#include <string>

#include "events/ids.hpp"

namespace debrief::commands {

struct Actor {
    UserId user_id;
    OrganizationId organization_id;
    std::string role;  // admin | coach_lead | coach | client
};

}  // namespace debrief::commands
