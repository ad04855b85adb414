// Coaching histories for benchmarks, made through the command handler on an in-memory log, as encoded events and
// credentials: generate() gives organizations of 20 clients and 100 sessions each (40-line transcripts, parsed and
// drafted); generate_coaching() a whole product's mix over a fixed number of organizations (bench/replay).
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands/action_item_commands.hpp"
#include "commands/command_handler.hpp"
#include "commands/note_commands.hpp"
#include "commands/people_commands.hpp"
#include "commands/session_commands.hpp"
#include "commands/summary_commands.hpp"
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

// The people of one organization of generate_coaching(), for benchmarks that act as them (tokens).
struct OrganizationPeople {
    std::string organization, admin, lead, coach, client_user, client;
};

struct CoachingHistory : History {
    std::vector<OrganizationPeople> people;
};

inline void require(bool ok, const char* what) {
    if (!ok) std::exit((std::fprintf(stderr, "generate_coaching: %s refused\n", what), 1));
}

// A whole product's history over `organizations` organizations, until it holds at least `target_events` events:
// each organization has an admin, a coach lead, 10 coaches with 5 clients each and one client login; sessions go
// round the organizations (so their events interleave as they would in time), dated over the 13 weeks before
// 2026-12-06, with short transcripts; of the sessions, half get a refinement, four in five are approved (which
// creates their action items), half of those have their first item completed, one in three gets a note and one in
// five a hand-made action item.
inline CoachingHistory generate_coaching(std::size_t target_events, int organizations) {
    CoachingHistory history;
    WriteModel model;
    events::MemoryEventLog log;
    int next_id = 0;
    // Ids as random as the service's UUIDs (a shared prefix would make every comparison of two ids walk it), and
    // the same in every run: the counter through splitmix64.
    auto mix = [](std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    };
    CommandHandler handler{model, log, [] { return std::int64_t{1'796'000'000'000}; },
                           [&next_id, mix] {
                               const auto high = mix(static_cast<std::uint64_t>(++next_id)), low = mix(high);
                               char id[37];
                               std::snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                                             static_cast<unsigned long long>((high >> 16) & 0xffff), static_cast<unsigned long long>(high & 0xfff),
                                             static_cast<unsigned long long>(0x8000 | (low >> 50)), static_cast<unsigned long long>(low & 0xffffffffffffULL));
                               return std::string(id);
                           },
                           [](std::string_view password) { return "hashed:" + std::string(password); }};
    constexpr int coaches = 10, clients_per_coach = 5;
    struct Organization {
        Actor admin;
        std::vector<Actor> coaches;
        std::vector<std::pair<std::string, ClientId>> clients;  // name, id; clients_per_coach per coach, in coach order
    };
    std::vector<Organization> all;
    for (int o = 0; o < organizations; ++o) {
        const auto tag = std::to_string(o);
        auto signed_up = sign_up(handler, {"Organization " + tag, "Admin " + tag, "admin" + tag + "@bench.example", "bench password 12345"}, {});
        require(signed_up.ok(), "sign-up");
        Organization org;
        org.admin = Actor{UserId{signed_up->id("user")}, OrganizationId{signed_up->id("organization")}, "admin"};
        OrganizationPeople people{org.admin.organization_id.value, org.admin.user_id.value, {}, {}, {}, {}};
        auto lead = invite_user(handler, org.admin, {"Lead " + tag, "lead" + tag + "@bench.example", "coach_lead", "bench password 12345", {}, {}}, {});
        require(lead.ok(), "lead invite");
        people.lead = lead->id("user");
        for (int c = 0; c < coaches; ++c) {
            auto coach = invite_user(handler, org.admin,
                                     {"Coach " + tag + "-" + std::to_string(c), "coach" + tag + "-" + std::to_string(c) + "@bench.example", "coach",
                                      "bench password 12345", UserId{people.lead}, {}},
                                     {});
            require(coach.ok(), "coach invite");
            org.coaches.push_back(Actor{UserId{coach->id("user")}, org.admin.organization_id, "coach"});
            for (int k = 0; k < clients_per_coach; ++k) {
                RegisterClientInput client;
                client.name = "Client " + tag + "-" + std::to_string(c) + "-" + std::to_string(k);
                auto registered = register_client(handler, org.coaches.back(), client, {});
                require(registered.ok(), "client");
                org.clients.emplace_back(client.name, ClientId{registered->id("client")});
            }
        }
        people.coach = org.coaches.front().user_id.value;
        people.client = org.clients.front().second.value;
        auto client_user = invite_user(handler, org.admin,
                                       {org.clients.front().first, "client" + tag + "@bench.example", "client", "bench password 12345", {}, org.clients.front().second},
                                       {});
        require(client_user.ok(), "client invite");
        people.client_user = client_user->id("user");
        history.people.push_back(people);
        all.push_back(std::move(org));
    }
    const auto last_day = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6};
    const auto credentials = log.credentials().size();  // no session adds one
    for (std::size_t n = 0; log.appended() - credentials < target_events; ++n) {
        auto& org = all[n % all.size()];
        const auto visit = n / all.size();  // the organization's how-many-th session
        const auto& coach = org.coaches[visit % coaches];
        const auto& [client_name, client_id] = org.clients[(visit % coaches) * clients_per_coach + (visit / coaches) % clients_per_coach];
        const std::chrono::year_month_day day{last_day - std::chrono::days{static_cast<int>((visit * 7919) % 91)}};
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
        std::string text;
        for (int line = 0; line < 12; ++line)
            text += (line % 2 ? "Coach: " : client_name + ": ") + std::string("On call ") + std::to_string(n) + " we worked on point " + std::to_string(line) +
                    ", the handle time, the renewal and what to practise before Friday.\n";
        auto created = create_session(handler, coach, {std::nullopt, date, visit % 4 == 0 ? "call_review" : "individual", "plain", text, {}, "Coach"}, {});
        require(created.ok(), "session");
        ++history.sessions;
        const SummaryId summary{created->id("summary")};
        if (summary.value.empty()) continue;
        if (n % 2 == 0) (void)refine_summary(handler, coach, summary, "Add to the wins: the renewal call went well", {});
        if (n % 5 != 4) {
            auto approved = approve_summary(handler, coach, summary, {});
            if (approved && n % 2 == 1 && !approved->id("action_item").empty())
                (void)change_action_item(handler, coach, ActionItemId{approved->id("action_item")}, ActionItemChangeKind::complete, "", {});
        }
        if (n % 3 == 0) (void)add_note(handler, coach, client_id, "Ask how the renewal went", {});
        if (n % 5 == 0) (void)create_action_item(handler, coach, {client_id, "Listen to two calls", "", date}, {});
    }
    for (const auto& event : log.events()) {
        history.events.push_back(events::encode(event));
        history.keys.push_back(event.metadata.organization_id.value);
    }
    history.credentials = log.credentials();
    return history;
}

}  // namespace debrief::bench
