// An access token for a user of a generated history (whose passwords are not real hashes, so nobody can log in):
// signed with the deployment's DEBRIEF_JWT_SECRET as `debrief serve` signs its own, valid for 15 minutes.
// Usage: bench_token <secret> <organization id> <user id> <role>
#include <chrono>
#include <cstdio>

#include "api/auth/tokens.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: bench_token <secret> <organization id> <user id> <role>\n");
        return 2;
    }
    debrief::api::TokenSettings settings;
    settings.secret = argv[1];
    const debrief::api::TokenService tokens(settings);
    const debrief::commands::Actor actor{debrief::UserId{argv[3]}, debrief::OrganizationId{argv[2]}, argv[4]};
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::printf("%s\n", tokens.issue(actor, debrief::api::TokenKind::access, now).c_str());
    return 0;
}
