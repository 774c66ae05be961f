#include "trial/trial_run.hpp"
#include "core/error.hpp"
#include "cost/hops.hpp"
#include "exec/stage_runner.hpp"
#include "trial/tensor_wire.hpp"
#include "trial/testbed.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace pipesplit::trial {

namespace {

nlohmann::json hello(const Chain& chain, int stage)
{
  return {{"protocol", protocol_version}, {"chain_hash", fmt::format("{:016x}", chain_hash(chain))}, {"stage", stage}};
}

// Opens a socket inside `netns` (none: here) and connects it.
tcp::socket connect_in(boost::asio::io_context& context, const std::string& netns, const std::string& address, int port,
                       const std::string& peer)
{
  std::optional<NamespaceScope> scope;
  if (!netns.empty())
    scope.emplace(netns);
  return connect_to(context, address, port, 10, peer);
}

// Counts results, so that the source keeps at most `window` inputs in flight.
class Window {
public:
  explicit Window(long long size) : size_(size) {}
  void wait_for_room(long long input)
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return input - delivered_ < size_ || stopped_; });
  }
  void delivered()
  {
    std::lock_guard lock(mutex_);
    ++delivered_;
    changed_.notify_all();
  }
  void stop()
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  long long size_, delivered_ = 0;
  bool stopped_ = false;
};

// Closes every connection when the run outlives its deadline or is aborted from outside (a worker failed), so that
// no blocked accept or read hangs the trial.
class Watchdog {
public:
  Watchdog(const TrialOptions& options, tcp::acceptor& acceptor, std::vector<tcp::socket*> sockets)
      : thread_([this, &options, &acceptor, sockets] {
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.timeout_s);
          std::unique_lock lock(mutex_);
          while (!done_) {
            const bool aborted = options.abort && options.abort->load();
            if (aborted || std::chrono::steady_clock::now() > deadline) {
              fired_ = true;
              boost::system::error_code ignored;
              acceptor.close(ignored);
              for (auto* socket : sockets)
                socket->shutdown(tcp::socket::shutdown_both, ignored);
              return;
            }
            changed_.wait_for(lock, std::chrono::milliseconds(50));
          }
        })
  {}
  ~Watchdog()
  {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
      changed_.notify_all();
    }
    thread_.join();
  }
  bool fired()
  {
    std::lock_guard lock(mutex_);
    return fired_;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false, fired_ = false;
  std::thread thread_;
};

// Results arrive in order: every input under block, with gaps where a queue dropped inputs under drop-oldest.
void receive_results(tcp::socket& from_last, const Chain& chain, int last_stage, bool gaps, TrialMeasurement& out,
                     Window& window)
{
  const std::string peer = fmt::format("stage {}", last_stage);
  check_agreement(expect_frame(from_last, FrameType::Hello, peer).json(), chain_hash(chain), peer);
  uint64_t digest_so_far = 0xcbf29ce484222325ULL;
  for (long long last = -1;;) {
    Frame frame = read_frame(from_last, peer);
    if (frame.type == FrameType::End)
      break;
    const auto input = static_cast<long long>(frame.index);
    if (frame.type != FrameType::Tensor || (gaps ? input <= last : input != last + 1))
      throw ProtocolError(fmt::format("the sink received {} {} after result {}", to_string(frame.type), input, last));
    last = input;
    out.delivered_s.push_back(monotonic_seconds());
    out.delivered_inputs.push_back(input);
    write_ack(from_last, frame.index, peer); // the last stage's send completes now
    const auto results = decode_tensors(frame.payload, peer);
    out.hop_bytes.back() += element_bytes(results);
    digest_so_far = digest(results, digest_so_far);
    window.delivered();
  }
  out.output_digest = digest_so_far;
}

// What worker `s` is told: its blocks, threads, queue policy, and where its results go.
nlohmann::json assignment(const Problem& problem, const Placement& placement, const TrialLayout& layout, int s)
{
  const auto& stage     = placement.stages[s];
  const bool last       = s + 1 == static_cast<int>(placement.stages.size());
  nlohmann::json assign = hello(problem.chain, s);
  assign.update(
      {{"first", stage.first},
       {"last", stage.last},
       {"threads", stage.threads},
       {"queue", {{"policy", to_string(problem.deployment.queue_policy)}, {"depth", problem.deployment.queue_depth}}},
       {"next",
        {{"address", last ? layout.sink.address : layout.data_address[s + 1]},
         {"port", last ? layout.sink.port : layout.data_port[s + 1]},
         {"name", last ? std::string("the sink") : fmt::format("stage {}", s + 1)}}}});
  return assign;
}

// The source: the inputs, in a closed loop within `window` or at the camera rate (a camera's input exists from its
// frame time on, however long the source then waits to send it), then the end of the stream. Each
// send completes when stage 0 has the input (protocol.hpp, FrameType::Ack).
void feed(tcp::socket& source, const Model& model, const Problem& problem, const TrialOptions& options, Window& window,
          const std::exception_ptr& sink_failure, std::vector<double>& sent_s)
{
  const double rate = problem.deployment.source_rate_hz;
  const double t0   = monotonic_seconds();
  for (long long i = 0; i < options.inputs && !sink_failure; ++i) {
    window.wait_for_room(i);
    const double frame_time = rate > 0 ? t0 + static_cast<double>(i) / rate : 0;
    if (rate > 0)
      std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(frame_time))));
    const auto input = encode_tensors({trial_input(model, i, options.seed)});
    sent_s.push_back(rate > 0 ? frame_time : monotonic_seconds());
    write_frame(source, FrameType::Tensor, i, input.data(), input.size(), "stage 0");
    expect_ack(source, static_cast<uint64_t>(i), "stage 0"); // stage 0 has the input: the send is complete
  }
  write_frame(source, FrameType::End, 0, nullptr, 0, "stage 0");
}

// Every input the source sent was delivered or dropped by a queue, and enough were delivered to measure a period.
void check_accounted(const TrialMeasurement& out, long long inputs)
{
  const auto delivered = static_cast<long long>(out.delivered_s.size());
  if (delivered + out.dropped_total() != inputs)
    throw ProtocolError(fmt::format("the sink received {} results of {} inputs, and the queues dropped {}", delivered,
                                    inputs, out.dropped_total()));
  if (delivered < 2)
    throw ProtocolError(
        fmt::format("the sink received {} results of {} inputs: too few to measure a period", delivered, inputs));
}

} // namespace

long long TrialMeasurement::dropped_total() const
{
  long long total = 0;
  for (long long d : dropped)
    total += d;
  return total;
}

uint64_t unpartitioned_digest(const Model& model, const Chain& chain, const std::vector<long long>& inputs,
                              uint64_t seed)
{
  exec::StageRunner whole(model, chain, 0, chain.size() - 1, {.threads = 1, .seed = seed});
  uint64_t digest_so_far = 0xcbf29ce484222325ULL;
  for (long long i : inputs)
    digest_so_far = digest(whole.run(std::vector<exec::Tensor>{trial_input(model, i, seed)}), digest_so_far);
  return digest_so_far;
}

TrialMeasurement run_trial(const Model& model, const Problem& problem, const Placement& placement,
                           const TrialLayout& layout, const TrialOptions& options)
{
  const Chain& chain = problem.chain;
  const int stages   = static_cast<int>(placement.stages.size());
  boost::asio::io_context context;
  TrialMeasurement out;
  out.hop_bytes.assign(stages + 1, 0.0);

  std::optional<tcp::acceptor> sink_acceptor;
  {
    std::optional<NamespaceScope> scope;
    if (!layout.sink.netns.empty())
      scope.emplace(layout.sink.netns);
    sink_acceptor.emplace(context, tcp::endpoint(tcp::v4(), static_cast<unsigned short>(layout.sink.port)));
  }
  std::vector<tcp::socket> controls;
  for (int s = 0; s < stages; ++s) {
    const auto& reach = layout.control[s];
    controls.push_back(connect_in(context, reach.netns, reach.address, reach.port, fmt::format("worker {}", s)));
  }
  for (int s = 0; s < stages; ++s)
    write_json(controls[s], FrameType::Assign, assignment(problem, placement, layout, s), fmt::format("worker {}", s));
  tcp::socket source = connect_in(context, layout.source_netns, layout.data_address[0], layout.data_port[0], "stage 0");
  write_json(source, FrameType::Hello, hello(chain, -1), "stage 0");
  tcp::socket from_last(context);
  std::vector<tcp::socket*> sockets{&source, &from_last};
  for (auto& control : controls)
    sockets.push_back(&control);
  Watchdog watchdog(options, *sink_acceptor, sockets);
  try {
    boost::system::error_code accept_error;
    sink_acceptor->accept(from_last, accept_error);
    if (accept_error)
      throw ProtocolError(fmt::format("the last stage never connected to the sink: {}", accept_error.message()));
    for (int s = 0; s < stages; ++s)
      expect_frame(controls[s], FrameType::Ready, fmt::format("worker {}", s));
    // A camera under drop-oldest emits at its rate whatever the pipeline does; otherwise the source keeps at most
    // the deployment's window of inputs in flight.
    const bool drop_oldest = problem.deployment.queue_policy == QueuePolicy::DropOldest;
    Window window(drop_oldest ? std::numeric_limits<long long>::max() : problem.closed_loop_window(stages));
    std::exception_ptr sink_failure;
    std::thread sink([&] {
      try {
        receive_results(from_last, chain, stages - 1, drop_oldest, out, window);
      } catch (...) {
        sink_failure = std::current_exception();
        window.stop();
      }
    });
    try {
      feed(source, model, problem, options, window, sink_failure, out.sent_s);
    } catch (...) {
      boost::system::error_code ignored;
      from_last.shutdown(tcp::socket::shutdown_both, ignored);
      sink.join();
      throw;
    }
    sink.join();
    if (sink_failure)
      std::rethrow_exception(sink_failure);
    for (int s = 0; s < stages; ++s) {
      const auto report = expect_frame(controls[s], FrameType::Report, fmt::format("worker {}", s)).json();
      out.stages.push_back(stage_times_from_json(report.at("times")));
      out.hop_bytes[s] = report.at("bytes_received");
      out.dropped.push_back(report.at("dropped"));
    }
  } catch (const ProtocolError&) {
    if (watchdog.fired() && !(options.abort && options.abort->load()))
      throw SimulationFailure(fmt::format("the trial did not end within {} s", options.timeout_s));
    throw;
  }
  check_accounted(out, options.inputs);
  return out;
}

} // namespace pipesplit::trial
