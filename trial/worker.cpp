#include "trial/worker.hpp"
#include "exec/stage_runner.hpp"
#include "trial/stage_inbox.hpp"
#include "trial/tensor_wire.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace pipesplit::trial {

double monotonic_seconds()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double thread_cpu_seconds()
{
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

nlohmann::json to_json(const std::vector<StageTimes>& times)
{
  auto rows = nlohmann::json::array();
  for (const auto& t : times)
    rows.push_back({t.input, t.receive_start, t.receive_end, t.compute_start, t.compute_end, t.send_start, t.send_end,
                    t.compute_cpu_s});
  return rows;
}

std::vector<StageTimes> stage_times_from_json(const nlohmann::json& json)
{
  std::vector<StageTimes> times;
  for (const auto& row : json)
    times.push_back(
        {row.at(0).get<long long>(), row.at(1), row.at(2), row.at(3), row.at(4), row.at(5), row.at(6), row.at(7)});
  return times;
}

namespace {

// The one-slot send queue between the compute loop and the sender thread.
class SendSlot {
public:
  struct Item {
    size_t position = 0; // in the stage's times
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
  bool drop_oldest = false; // the queue policy: drop-oldest, else block
  int queue_depth  = 1;
};

Assignment read_assignment(tcp::socket& control, const Chain& chain)
{
  const auto document = expect_frame(control, FrameType::Assign, "the controller").json();
  check_agreement(document, chain_hash(chain), "the controller");
  Assignment a;
  a.stage = document.at("stage"), a.first = document.at("first"), a.last = document.at("last");
  a.threads      = document.at("threads");
  a.next_address = document.at("next").at("address"), a.next_port = document.at("next").at("port");
  a.next_name   = document.at("next").at("name");
  a.drop_oldest = document.at("queue").at("policy") == "drop-oldest";
  a.queue_depth = document.at("queue").at("depth");
  if (a.first < 0 || a.last < a.first || a.last >= chain.size())
    throw ProtocolError(
        fmt::format("the controller assigned blocks {}-{} of a {}-block chain", a.first, a.last, chain.size()));
  return a;
}

} // namespace

// The stage's executor, run once on what the stages before it make of a random input: oneDNN creates its primitives
// on a stage's first inference, which would otherwise count in the first input's latency (the cost model and the
// simulator know nothing of it).
static exec::StageRunner warmed_runner(const Assignment& a, const Model& model, const Chain& chain)
{
  exec::StageRunner runner(model, chain, a.first, a.last, {.threads = a.threads, .seed = a.seed});
  std::vector<exec::Tensor> inputs{exec::random_input(model, a.seed)};
  if (a.first > 0)
    inputs = exec::StageRunner(model, chain, 0, a.first - 1, {.threads = a.threads, .seed = a.seed}).run(inputs);
  runner.run(inputs);
  return runner;
}

// Runs the stage on one input, filling the compute's times in `t`; with a share, paced to it: the compute lasts its
// CPU time / the share (serve_trial).
static std::vector<exec::Tensor> compute(exec::StageRunner& runner, const std::vector<exec::Tensor>& inputs,
                                         double pace_share, StageTimes& t)
{
  const double cpu   = thread_cpu_seconds();
  t.compute_start    = monotonic_seconds();
  auto outputs       = runner.run(inputs);
  t.compute_end      = monotonic_seconds();
  t.compute_cpu_s    = thread_cpu_seconds() - cpu;
  const double extra = pace_share > 0 ? t.compute_cpu_s / pace_share - (t.compute_end - t.compute_start) : 0;
  if (extra > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(extra));
    t.compute_end = monotonic_seconds();
  }
  return outputs;
}

static void run_stage(tcp::socket& upstream, tcp::socket& downstream, const Assignment& a, exec::StageRunner& runner,
                      tcp::socket& control, double pace_share)
{
  const std::string previous = a.stage == 0 ? "the source" : fmt::format("stage {}", a.stage - 1);
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
        expect_ack(downstream, static_cast<uint64_t>(item->input), a.next_name); // the next hop has the input

        std::lock_guard lock(times_mutex);
        times[item->position].send_start = start;
        times[item->position].send_end   = monotonic_seconds();
      }
    } catch (...) {
      slot.fail(std::current_exception());
    }
  });
  double bytes_received = 0;
  StageInbox inbox(upstream, previous, a.queue_depth, a.drop_oldest);
  try {
    for (long long last_input = -1;;) {
      const Arrival arrival = inbox.next();
      const Frame& frame    = arrival.frame;
      if (frame.type == FrameType::End)
        break;
      if (frame.type != FrameType::Tensor)
        throw ProtocolError(fmt::format("{} sent a {} frame where a Tensor belongs", previous, to_string(frame.type)));
      const auto input = static_cast<long long>(frame.index);
      // In order; under drop-oldest, an input the source or a stage before dropped leaves a gap.
      if (a.drop_oldest ? input <= last_input : input != last_input + 1)
        throw ProtocolError(fmt::format("{} sent input {} after input {}", previous, input, last_input));
      last_input        = input;
      const auto inputs = decode_tensors(frame.payload, previous);
      bytes_received += element_bytes(inputs);
      StageTimes t;
      t.input            = input;
      t.receive_start    = arrival.receive_start;
      t.receive_end      = arrival.receive_end;
      const auto outputs = compute(runner, inputs, pace_share, t);
      size_t position    = 0;
      {
        std::lock_guard lock(times_mutex);
        position = times.size();
        times.push_back(t);
      }
      slot.put({position, t.input, encode_tensors(outputs), false});
    }
    slot.put({0, 0, {}, true});
  } catch (...) {
    slot.fail(std::current_exception());
    downstream.close();
    sender.join();
    throw;
  }
  sender.join();
  write_json(control, FrameType::Report,
             {{"times", to_json(times)}, {"bytes_received", bytes_received}, {"dropped", inbox.dropped()}},
             "the controller");
}

void serve_trial(tcp::acceptor& acceptor, const Model& model, const Chain& chain, double pace_share)
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
    exec::StageRunner runner = warmed_runner(a, model, chain);
    write_json(control, FrameType::Ready, nlohmann::json::object(), "the controller");
    run_stage(upstream, downstream, a, runner, control, pace_share);
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
