#include "app/read_model_rebuilds.hpp"

#include <fstream>

#include "common/json_log.hpp"

namespace debrief::app {
namespace {

constexpr std::size_t finished_kept = 10;
constexpr const char* pointer_file = "search.current";
constexpr const char* rebuild_prefix = "search-";

bool is_running(const projections::RebuildStatus& status) { return status.state == "running" || status.state == "switching"; }

}  // namespace

struct ReadModelRebuilds::Running {
    std::unique_ptr<projections::SearchRebuild> search;
    std::unique_ptr<projections::PostgresRebuild> postgres;
    projections::RebuildStatus status() const { return search ? search->status() : postgres->status(); }
};

ReadModelRebuilds::ReadModelRebuilds(Settings settings, projections::SearchRebuild::Live search, projections::PostgresRebuild::Live postgres)
    : settings_(std::move(settings)), search_live_(std::move(search)), postgres_live_(std::move(postgres)) {}

ReadModelRebuilds::~ReadModelRebuilds() { stop(); }

void ReadModelRebuilds::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

Result<projections::RebuildStatus> ReadModelRebuilds::start(const std::string& read_model) {
    if (read_model != "search" && read_model != "postgres")
        return invalid("invalid_read_model",
                       "read_model must be postgres (the PostgreSQL read model: dashboards and lists) or search (the RocksDB read model: "
                       "transcripts and the search index)");
    std::lock_guard lock(mutex_);
    if (stopping_) return Error{ErrorKind::unavailable, "unavailable", "the service is shutting down"};
    if (running_) {
        auto status = running_->status();
        if (is_running(status)) return conflict("rebuild_in_progress", "rebuild " + status.id + " of " + status.read_model + " is still running");
        thread_.join();
        finished_.push_front(std::move(status));
        if (finished_.size() > finished_kept) finished_.pop_back();
    }
    const auto id = settings_.new_id();
    running_ = std::make_unique<Running>();
    if (read_model == "search") {
        const auto directory = settings_.data_dir / (rebuild_prefix + id);
        running_->search = std::make_unique<projections::SearchRebuild>(id, settings_.kafka, *settings_.keys, directory.string());
        thread_ = std::thread([this, rebuild = running_->search.get()] { rebuild->run(search_live_, stopping_); });
    } else {
        running_->postgres = std::make_unique<projections::PostgresRebuild>(id, settings_.postgres_url, settings_.kafka, *settings_.keys,
                                                                                settings_.replay_workers);
        thread_ = std::thread([this, rebuild = running_->postgres.get()] { rebuild->run(postgres_live_, stopping_); });
    }
    return running_->status();
}

std::optional<projections::RebuildStatus> ReadModelRebuilds::status(const std::string& id) const {
    std::lock_guard lock(mutex_);
    if (running_) {
        auto status = running_->status();
        if (status.id == id) return status;
    }
    for (const auto& status : finished_)
        if (status.id == id) return status;
    return std::nullopt;
}

std::filesystem::path ReadModelRebuilds::search_directory(const std::filesystem::path& data_dir) {
    auto current = data_dir / "search";
    if (std::ifstream in{data_dir / pointer_file}; in) {
        std::string name;
        std::getline(in, name);
        if (name.starts_with(rebuild_prefix) && name.find('/') == std::string::npos && std::filesystem::is_directory(data_dir / name))
            current = data_dir / name;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir, ec)) {
        const auto name = entry.path().filename().string();
        const bool copy = name.starts_with(rebuild_prefix) || (name == "search" && current.filename() != "search");
        if (copy && entry.is_directory() && entry.path() != current) {
            log_info("rebuild_copy_removed", {{"directory", entry.path().string()}});
            std::filesystem::remove_all(entry.path(), ec);
        }
    }
    return current;
}

void ReadModelRebuilds::record_search_directory(const std::filesystem::path& data_dir, const std::filesystem::path& directory) {
    const auto temporary = data_dir / (std::string(pointer_file) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << directory.filename().string() << "\n";
    }
    std::error_code ec;
    std::filesystem::rename(temporary, data_dir / pointer_file, ec);
    if (ec) log_error("rebuild_switch_not_recorded", {{"directory", directory.string()}, {"error", ec.message()}});
}

}  // namespace debrief::app
