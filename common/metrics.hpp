// Prometheus metrics: counters and histograms keyed by a bounded set of label values, gauges read when scraped, and
// the text exposition format (GET /metrics). One registry per process, as the Prometheus client libraries keep.
// Label values must come from small fixed sets (route patterns, status codes, read model names): never an
// organization's or a user's id.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace debrief::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void add(double amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}
    void observe(double value) {
        std::size_t bucket = 0;
        while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
        counts_[bucket].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(value, std::memory_order_relaxed);
    }
    const std::vector<double>& bounds() const { return bounds_; }
    std::uint64_t count_in(std::size_t bucket) const { return counts_[bucket].load(std::memory_order_relaxed); }
    double sum() const { return sum_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::vector<std::atomic<std::uint64_t>> counts_;  // per bucket, not cumulative; the last is +Inf
    std::atomic<double> sum_{0};
};

// Seconds, for request and transaction latencies: 1 ms to 10 s.
inline std::vector<double> latency_buckets() { return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}; }

class Registry {
public:
    // The counter or histogram of that name and labels, made on first use. The reference stays valid for good.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                         const std::vector<double>& bounds = latency_buckets());
    // A gauge family computed when scraped: each sample's labels and value. Set again, it replaces the last; an empty
    // function leaves it out of the exposition.
    using GaugeSamples = std::function<std::vector<std::pair<Labels, double>>()>;
    void gauge(const std::string& name, const std::string& help, GaugeSamples samples);
    // Every metric in the text exposition format 0.0.4, families by name.
    std::string exposition() const;

private:
    struct Family {
        std::string help;
        std::string type;  // counter | histogram | gauge
        std::map<Labels, std::unique_ptr<Counter>> counters;
        std::map<Labels, std::unique_ptr<Histogram>> histograms;
        GaugeSamples gauge;
    };
    Family& family(const std::string& name, const std::string& help, const std::string& type);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

inline Registry& registry();

namespace detail {

inline std::string number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value)) return "NaN";
    char text[64];
    std::snprintf(text, sizeof text, "%.15g", value);
    return text;
}

inline std::string escaped(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

inline std::string label_text(const Labels& labels, const std::string& extra_name = {}, const std::string& extra_value = {}) {
    std::string out;
    for (const auto& [name, value] : labels) out += (out.empty() ? "" : ",") + name + "=\"" + detail::escaped(value) + "\"";
    if (!extra_name.empty()) out += (out.empty() ? "" : ",") + extra_name + "=\"" + extra_value + "\"";
    return out.empty() ? out : "{" + out + "}";
}

}  // namespace detail

inline Registry::Family& Registry::family(const std::string& name, const std::string& help, const std::string& type) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
        it->second.help = help;
        it->second.type = type;
    } else if (it->second.type != type) {
        throw std::logic_error("metric " + name + " is a " + it->second.type + ", not a " + type);
    }
    return it->second;
}

inline Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, "counter").counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

inline Histogram& Registry::histogram(const std::string& name, const std::string& help, const Labels& labels, const std::vector<double>& bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, "histogram").histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

inline void Registry::gauge(const std::string& name, const std::string& help, GaugeSamples samples) {
    std::lock_guard lock(mutex_);
    auto& gauge = family(name, help, "gauge");
    if (!help.empty()) gauge.help = help;
    gauge.gauge = std::move(samples);
}

inline std::string Registry::exposition() const {
    std::map<std::string, GaugeSamples> gauges;  // called without the lock: a gauge may take its time
    std::string out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, family] : families_) {
            if (family.type == "gauge") {
                gauges[name] = family.gauge;
                continue;
            }
            out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " " + family.type + "\n";
            for (const auto& [labels, counter] : family.counters) out += name + detail::label_text(labels) + " " + detail::number(counter->value()) + "\n";
            for (const auto& [labels, histogram] : family.histograms) {
                std::uint64_t cumulative = 0;
                const auto& bounds = histogram->bounds();
                for (std::size_t i = 0; i <= bounds.size(); ++i) {
                    cumulative += histogram->count_in(i);
                    out += name + "_bucket" + detail::label_text(labels, "le", i < bounds.size() ? detail::number(bounds[i]) : "+Inf") + " " + std::to_string(cumulative) + "\n";
                }
                out += name + "_sum" + detail::label_text(labels) + " " + detail::number(histogram->sum()) + "\n";
                out += name + "_count" + detail::label_text(labels) + " " + std::to_string(cumulative) + "\n";
            }
        }
    }
    for (const auto& [name, samples] : gauges) {
        if (!samples) continue;
        std::string help;
        {
            std::lock_guard lock(mutex_);
            help = families_.at(name).help;
        }
        out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
        for (const auto& [labels, value] : samples()) out += name + detail::label_text(labels) + " " + detail::number(value) + "\n";
    }
    return out;
}

inline Registry& registry() {
    static Registry instance;
    return instance;
}


}  // namespace debrief::metrics
