// A coaching history for benchmarks: organizations with 20 clients and 100 sessions each (40-line transcripts,
// parsed and drafted), made through the command handler on an in-memory log, as encoded events and credentials.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands/command_handler.hpp"
#include "commands/people_commands.hpp"
#include "commands/session_commands.hpp"
#include "events/codec.hpp"
#include "events/memory_event_log.hpp"

namespace debrief::bench {

using namespace debrief::commands;

inline constexpr int sessions_per_organization = 100;
inline constexpr int clients_per_organization = 20;

inline std::string transcript(int n, const std::string& client) {
    std::string text;
    for (int line = 0; line < 40; ++line) {
        char stamp[16];
        std::snprintf(stamp, sizeof stamp, "[00:%02d:%02d] ", line / 2, (line % 2) * 30);
        text += stamp;
        text += line % 2 ? "Coach: " : client + ": ";
        text += "Session " + std::to_string(n) + ", point " + std::to_string(line) +
                ": we talked about handle time, the supplier deal and what to practise before Friday.\n";
    }
    return text;
}

struct History {
    std::vector<std::string> events;  // encoded, as the values on the events topic
    std::vector<std::string> keys;    // each event's organization id, its Kafka key
    std::vector<events::Credential> credentials;
    int sessions = 0;
};

inline History generate(int sessions) {
    History history;
    WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    CommandHandler handler{model, log, [] { return std::int64_t{1'800'000'000'000}; },
                           [&next_id] {
                               char id[37];
                               std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++next_id);
                               return std::string(id);
                           },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
    for (int organization = 0; history.sessions < sessions; ++organization) {
        const auto tag = std::to_string(organization);
        auto signed_up = sign_up(handler, {"Organization " + tag, "Coach", "coach" + tag + "@bench.example", "bench password 12345"}, {});
        if (!signed_up) std::exit((std::fprintf(stderr, "sign-up: %s\n", signed_up.error().message.c_str()), 1));
        Actor coach{UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        std::vector<std::string> clients;
        for (int c = 0; c < clients_per_organization; ++c) {
            RegisterClientInput client;
            client.name = "Client " + tag + "-" + std::to_string(c);
            if (!register_client(handler, coach, client, {})) std::exit((std::fprintf(stderr, "client refused\n"), 1));
            clients.push_back(client.name);
        }
        for (int s = 0; s < sessions_per_organization && history.sessions < sessions; ++s, ++history.sessions) {
            CreateSessionInput input{std::nullopt, "2026-11-20", "individual", "plain", transcript(history.sessions, clients[s % clients.size()]), {}, "Coach"};
            auto created = create_session(handler, coach, input, {});
            if (!created) std::exit((std::fprintf(stderr, "session refused: %s\n", created.error().message.c_str()), 1));
        }
    }
    for (const auto& event : log.events()) {
        history.events.push_back(events::encode(event));
        history.keys.push_back(event.metadata.organization_id.value);
    }
    history.credentials = log.credentials();
    return history;
}

}  // namespace debrief::bench
