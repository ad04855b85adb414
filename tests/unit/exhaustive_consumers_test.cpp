// The compiler refuses a consumer of events that forgets an event type: compiled here, as a newcomer's mistake would
// be, next to the same consumer done right (which must compile, so this test can fail both ways).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

struct Compiled {
    int status = 0;
    std::string diagnostics;
};

Compiled compile(const std::string& name, const std::string& source) {
    const auto dir = std::filesystem::temp_directory_path() / ("debrief_exhaustive_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / (name + ".cpp");
    const auto log = dir / (name + ".log");
    std::ofstream(file) << source;
    const std::string command = std::string(DEBRIEF_CXX_COMPILER) + " -std=c++20 -fsyntax-only -I" + DEBRIEF_SOURCE_DIR + " " + file.string() +
                                " > " + log.string() + " 2>&1";
    Compiled out;
    out.status = std::system(command.c_str());
    std::ifstream in(log);
    out.diagnostics.assign(std::istreambuf_iterator<char>(in), {});
    std::filesystem::remove_all(dir);
    return out;
}

// A consumer of the note events that ignores every other aggregate, with or without its NoteAddressed overload,
// and with or without NoteAddressed in its Ignores.
std::string note_consumer(bool handles_addressed, bool ignores_addressed = false) {
    return std::string(R"(#include "events/event_dispatch.hpp"
using namespace debrief;
struct NoteCounter {
    using Ignores = concat_t<events::IgnoreAggregates<ApiKeyId, OrganizationId, UserId, SessionId, ClientId, SummaryId, ActionItemId, TemplateId,
                                                      FollowUpId, MetricsImportId>)") +
           (ignores_addressed ? ", TypeList<events::NoteAddressed>" : "") + R"(>;
    int added = 0, addressed = 0;
    void on(const events::NoteAdded&) { ++added; }
)" + (handles_addressed ? "    void on(const events::NoteAddressed&) { ++addressed; }\n" : "") +
           R"(};
void count(NoteCounter& counter, const events::Payload& payload) { events::dispatch(counter, payload); }
)";
}

}  // namespace

TEST_CASE("a consumer that handles or ignores every event type compiles; one that forgets a type does not") {
    auto complete = compile("complete", note_consumer(true));
    INFO(complete.diagnostics);
    CHECK(complete.status == 0);

    auto ignoring = compile("ignoring", note_consumer(false, true));
    INFO(ignoring.diagnostics);
    CHECK(ignoring.status == 0);

    auto forgetful = compile("forgetful", note_consumer(false));
    CHECK(forgetful.status != 0);
    CHECK(forgetful.diagnostics.find("neither handled nor in Ignores") != std::string::npos);

    auto both = compile("both", note_consumer(true, true));
    CHECK(both.status != 0);
    CHECK(both.diagnostics.find("both handled and in Ignores") != std::string::npos);
}

TEST_CASE("a template catch-all is refused: it would accept every event silently") {
    auto catch_all = compile("catch_all", R"(#include "events/event_dispatch.hpp"
using namespace debrief;
struct Everything {
    using Ignores = TypeList<>;
    template <typename E> void on(const E&) {}
};
void take(Everything& consumer, const events::Payload& payload) { events::dispatch(consumer, payload); }
)");
    CHECK(catch_all.status != 0);
    CHECK(catch_all.diagnostics.find("not be a template") != std::string::npos);
}
