// Delivery into a folder: one <follow-up id>.eml per message, written whole (temporary file, then rename), so a
// mail tool or a test can pick it up and a retry overwrites rather than duplicates.
#pragma once

#include <filesystem>

#include "adapters/delivery/delivery.hpp"

namespace debrief::delivery {

class FileDropDelivery final : public Delivery {
public:
    explicit FileDropDelivery(std::filesystem::path directory) : directory_(std::move(directory)) {}
    std::string_view channel() const override { return "file"; }
    Result<std::string> deliver(const EmailMessage& message) override;
    void forget(const std::string& follow_up_id) override;

private:
    std::filesystem::path directory_;
};

}  // namespace debrief::delivery
