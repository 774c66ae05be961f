#include "trial/worker.hpp"
#include "exec/stage_runner.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace pipesplit::trial {

double monotonic_seconds()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

nlohmann::json to_json(const std::vector<StageTimes>& times)
{
  auto rows = nlohmann::json::array();
  for (const auto& t : times)
    rows.push_back({t.input, t.receive_start, t.receive_end, t.compute_start, t.compute_end, t.send_start, t.send_end});
  return rows;
}

std::vector<StageTimes> stage_times_from_json(const nlohmann::json& json)
{
  std::vector<StageTimes> times;
  for (const auto& row : json)
    times.push_back({row.at(0).get<long long>(), row.at(1), row.at(2), row.at(3), row.at(4), row.at(5), row.at(6)});
  return times;
}

namespace {

// The one-slot send queue between the compute loop and the sender thread.
class SendSlot {
public:
  struct Item {
    long long input = 0;
    std::vector<std::byte> payload;
    bool end = false;
  };
  void put(Item item)
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !item_ || failed_; });
    if (failed_)
      std::rethrow_exception(failure_);
    item_ = std::move(item);
    changed_.notify_all();
  }
  // The next item, or nothing once the stage has failed.
  std::optional<Item> take()
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return item_.has_value() || failed_; });
    if (!item_)
      return std::nullopt;
    Item item = std::move(*item_);
    item_.reset();
    changed_.notify_all();
    return item;
  }
  void fail(std::exception_ptr failure)
  {
    std::lock_guard lock(mutex_);
    failure_ = failure;
    failed_  = true;
    changed_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Item> item_;
  bool failed_ = false;
  std::exception_ptr failure_;
};

struct Assignment {
  int stage = 0, first = 0, last = 0, threads = 1;
  uint64_t seed = 1; // of the weights
  std::string next_address;
  int next_port = 0;
  std::string next_name;
};

Assignment read_assignment(tcp::socket& control, const Chain& chain)
{
  const auto document = expect_frame(control, FrameType::Assign, "the controller").json();
  check_agreement(document, chain_hash(chain), "the controller");
  Assignment a;
  a.stage = document.at("stage"), a.first = document.at("first"), a.last = document.at("last");
  a.threads      = document.at("threads");
  a.next_address = document.at("next").at("address"), a.next_port = document.at("next").at("port");
  a.next_name = document.at("next").at("name");
  if (a.first < 0 || a.last < a.first || a.last >= chain.size())
    throw ProtocolError(
        fmt::format("the controller assigned blocks {}-{} of a {}-block chain", a.first, a.last, chain.size()));
  return a;
}

} // namespace

static void run_stage(tcp::socket& upstream, tcp::socket& downstream, const Assignment& a, const Model& model,
                      const Chain& chain, tcp::socket& control)
{
  const std::string previous = a.stage == 0 ? "the source" : fmt::format("stage {}", a.stage - 1);
  exec::StageRunner runner(model, chain, a.first, a.last, {.threads = a.threads, .seed = a.seed});
  SendSlot slot;
  std::vector<StageTimes> times;
  std::mutex times_mutex;
  std::thread sender([&] {
    try {
      for (;;) {
        auto item = slot.take();
        if (!item)
          return;
        if (item->end) {
          write_frame(downstream, FrameType::End, 0, nullptr, 0, a.next_name);
          return;
        }
        const double start = monotonic_seconds();
        write_frame(downstream, FrameType::Tensor, item->input, item->payload.data(), item->payload.size(),
                    a.next_name);
        std::lock_guard lock(times_mutex);
        times[item->input].send_start = start;
        times[item->input].send_end   = monotonic_seconds();
      }
    } catch (...) {
      slot.fail(std::current_exception());
    }
  });
  double bytes_received = 0;
  try {
    for (;;) {
      StageTimes t;
      t.receive_start = monotonic_seconds();
      Frame frame     = read_frame(upstream, previous);
      t.receive_end   = monotonic_seconds();
      if (frame.type == FrameType::End)
        break;
      if (frame.type != FrameType::Tensor)
        throw ProtocolError(fmt::format("{} sent a {} frame where a Tensor belongs", previous, to_string(frame.type)));
      if (static_cast<long long>(frame.index) != static_cast<long long>(times.size()))
        throw ProtocolError(
            fmt::format("{} sent input {} where input {} was due", previous, frame.index, times.size()));
      const auto inputs = decode_tensors(frame.payload, previous);
      bytes_received += element_bytes(inputs);
      t.input            = static_cast<long long>(frame.index);
      t.compute_start    = monotonic_seconds();
      const auto outputs = runner.run(inputs);
      t.compute_end      = monotonic_seconds();
      {
        std::lock_guard lock(times_mutex);
        times.push_back(t);
      }
      slot.put({t.input, encode_tensors(outputs), false});
    }
    slot.put({0, {}, true});
  } catch (...) {
    slot.fail(std::current_exception());
    downstream.close();
    sender.join();
    throw;
  }
  sender.join();
  write_json(control, FrameType::Report, {{"times", to_json(times)}, {"bytes_received", bytes_received}},
             "the controller");
}

void serve_trial(tcp::acceptor& acceptor, const Model& model, const Chain& chain)
{
  auto& context = static_cast<boost::asio::io_context&>(acceptor.get_executor().context());
  tcp::socket control(context);
  acceptor.accept(control);
  try {
    const Assignment a = read_assignment(control, chain);
    tcp::socket downstream =
        connect_to(context, a.next_address, a.next_port, 10, fmt::format("{} at {}", a.next_name, a.next_address));
    write_json(
        downstream, FrameType::Hello,
        {{"protocol", protocol_version}, {"chain_hash", fmt::format("{:016x}", chain_hash(chain))}, {"stage", a.stage}},
        a.next_name);
    tcp::socket upstream(context);
    acceptor.accept(upstream);
    upstream.set_option(tcp::no_delay(true));
    check_agreement(expect_frame(upstream, FrameType::Hello, "the previous hop").json(), chain_hash(chain),
                    "the previous hop");
    write_json(control, FrameType::Ready, nlohmann::json::object(), "the controller");
    run_stage(upstream, downstream, a, model, chain, control);
  } catch (const std::exception& e) {
    boost::system::error_code ignored;
    const std::string text = e.what();
    if (control.is_open())
      try {
        write_frame(control, FrameType::Error, 0, text.data(), text.size(), "the controller");
      } catch (const ProtocolError&) {
        // the controller is gone too: the message goes to stderr only
      }
    throw;
  }
}

} // namespace pipesplit::trial
