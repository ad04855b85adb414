// The write model's snapshot: what it restores decides exactly as the model it was taken from, a corrupt or foreign
// snapshot is refused without changing anything, and none is taken while a command is pending. The store keeps the
// latest complete snapshot across chunks and replaces it whole.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "app/snapshot_store.hpp"
#include "commands/metrics_commands.hpp"
#include "common/binary_codec.hpp"
#include "tests/unit/workflow_fixture.hpp"

using namespace debrief;
using namespace debrief::commands;

namespace {

// Two states are the same when they encode to the same bytes: every field, in order.
template <typename State>
std::string encoded(const State& state) {
    binary::Writer out;
    out.put(state);
    return std::move(out.bytes());
}

struct TemporaryDirectory {
    std::filesystem::path path;
    TemporaryDirectory() : path(std::filesystem::temp_directory_path() / ("debrief-snapshot-" + std::to_string(std::random_device{}()))) {}
    ~TemporaryDirectory() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("a restored snapshot holds every aggregate, lookup and idempotency key, and decides as the original") {
    Workflow w;
    REQUIRE(commit_metrics_import(w.handler, w.admin, w.metrics_import, {}).ok());
    REQUIRE(add_note(w.handler, w.admin, w.client, "Keyed note", w.keyed("note-key")).ok());
    auto snapshot = w.model.snapshot();
    REQUIRE(snapshot.has_value());
    CHECK(snapshot->events == w.model.event_count());
    CHECK(snapshot->next_offsets == w.model.next_offsets());
    CHECK(snapshot->next_offsets.at(0) == static_cast<std::int64_t>(w.log.events().size()));

    InMemoryCommands restored;
    REQUIRE(restored.model.restore(snapshot->bytes));
    CHECK(restored.model.event_count() == w.model.event_count());
    CHECK(restored.model.next_offsets() == w.model.next_offsets());
    CHECK(encoded(restored.model.state(w.session)) == encoded(w.model.state(w.session)));
    CHECK(encoded(restored.model.state(w.summary)) == encoded(w.model.state(w.summary)));
    CHECK(encoded(restored.model.state(w.client)) == encoded(w.model.state(w.client)));
    CHECK(encoded(restored.model.state(w.item)) == encoded(w.model.state(w.item)));
    CHECK(encoded(restored.model.state(w.note)) == encoded(w.model.state(w.note)));
    CHECK(encoded(restored.model.state(w.template_id)) == encoded(w.model.state(w.template_id)));
    CHECK(encoded(restored.model.state(w.follow_up)) == encoded(w.model.state(w.follow_up)));
    CHECK(encoded(restored.model.state(w.coach)) == encoded(w.model.state(w.coach)));
    CHECK(encoded(restored.model.state(w.admin.organization_id)) == encoded(w.model.state(w.admin.organization_id)));
    CHECK(encoded(restored.model.state(w.metrics_import)) == encoded(w.model.state(w.metrics_import)));
    CHECK(restored.model.metric_histories(w.client) == w.model.metric_histories(w.client));
    CHECK(restored.model.metric_histories(w.client).contains("csat"));
    CHECK(restored.model.clients_of(w.admin.user_id) == w.model.clients_of(w.admin.user_id));
    CHECK(restored.model.clients_in(w.admin.organization_id).size() == w.model.clients_in(w.admin.organization_id).size());
    CHECK(restored.model.email_taken("sam.coach@example.com"));
    CHECK(restored.model.default_template(w.admin.organization_id, w.admin.user_id, "email") == w.template_id.value);

    // It decides on: the same key is a replay, a stale expected version a conflict, the current one accepted.
    auto replayed = add_note(restored.handler, w.admin, w.client, "Keyed note", w.keyed("note-key"));
    REQUIRE(replayed.ok());
    CHECK(replayed->replayed);
    const auto version = w.model.state(w.summary).version;
    CHECK(approve_summary(restored.handler, w.admin, w.summary, w.expecting(version - 1)).error().code == "version_conflict");
    CHECK(approve_summary(restored.handler, w.admin, w.summary, w.expecting(version)).ok());
    CHECK(restored.model.state(w.summary).version == version + 1);
}

TEST_CASE("a snapshot that is cut short, altered or of another layout is refused and changes nothing") {
    Workflow w;
    auto snapshot = w.model.snapshot();
    REQUIRE(snapshot.has_value());
    const auto& bytes = snapshot->bytes;
    WriteModel model;
    CHECK_FALSE(model.restore(std::string_view(bytes).substr(0, bytes.size() - 1)));
    CHECK_FALSE(model.restore(std::string_view(bytes).substr(0, bytes.size() / 2)));
    CHECK_FALSE(model.restore(bytes + "x"));
    CHECK_FALSE(model.restore(""));
    auto other_layout = bytes;
    other_layout[20] ^= 0x01;  // inside the layout string at the front
    CHECK_FALSE(model.restore(other_layout));
    CHECK(model.event_count() == 0);
    CHECK_FALSE(model.state(w.session).exists);
    CHECK(model.next_offsets().empty());
}

TEST_CASE("no snapshot is taken while a command's folds are pending, and one is once they are reverted or committed") {
    Workflow w;
    auto event = w.log.events().back();
    auto pending = std::vector{w.model.fold_pending(event)};
    CHECK_FALSE(w.model.snapshot().has_value());
    w.model.revert_pending(pending);
    CHECK(w.model.snapshot().has_value());
}

TEST_CASE("the snapshot's layout is pinned: a change to a state struct shows here") {
    // When this fails, a struct the write model keeps changed. Snapshots of the old layout are then refused and the
    // first start reads the whole log, which is right. If a field changed meaning without changing type, raise
    // snapshot_format in commands/write_model_snapshot.cpp too. Then pin the new layout's hash.
    const auto layout = WriteModel::snapshot_layout();
    CHECK(layout.starts_with("debrief.write_model.1:"));
    CHECK(layout.find("SessionState") != std::string::npos);
    MESSAGE("layout hash " << std::hash<std::string>{}(layout) << ", " << layout.size() << " characters");
    CHECK(std::hash<std::string>{}(layout) == 9758185441864161289u);  // ApiKeyState, api_keys_by_organization_
}

TEST_CASE("the snapshot store keeps the latest complete snapshot, over several chunks, and replaces it whole") {
    TemporaryDirectory directory;
    std::string large(9 * 1024 * 1024 + 17, '\0');  // three chunks
    std::mt19937 random(7);
    for (auto& c : large) c = static_cast<char>(random());
    {
        auto store = app::SnapshotStore::open(directory.path.string());
        REQUIRE(store.ok());
        CHECK_FALSE((*store)->latest().has_value());
        REQUIRE((*store)->save({"debrief.events", {{0, 12}, {3, 40}}, 52, 1'000, large}).ok());
        auto latest = (*store)->latest();
        REQUIRE(latest.has_value());
        CHECK(latest->bytes == large);
        CHECK(latest->offsets == std::map<int, std::int64_t>{{0, 12}, {3, 40}});
        CHECK(latest->events == 52);
        CHECK(latest->topic == "debrief.events");
        REQUIRE((*store)->save({"debrief.events", {{0, 13}}, 53, 2'000, "small"}).ok());
    }
    auto reopened = app::SnapshotStore::open(directory.path.string());
    REQUIRE(reopened.ok());
    auto latest = (*reopened)->latest();
    REQUIRE(latest.has_value());
    CHECK(latest->bytes == "small");
    CHECK(latest->events == 53);
    CHECK(latest->written_at_ms == 2'000);
}
