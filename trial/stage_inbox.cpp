#include "trial/stage_inbox.hpp"
#include "trial/worker.hpp"

namespace pipesplit::trial {

StageInbox::StageInbox(tcp::socket& upstream, std::string previous, int depth, bool drop_oldest)
    : upstream_(upstream), previous_(std::move(previous)), depth_(static_cast<size_t>(std::max(depth, 1))),
      drop_oldest_(drop_oldest), reader_([this] { read_all(); })
{}

StageInbox::~StageInbox()
{
  {
    std::lock_guard lock(mutex_);
    stopping_ = true; // a reader waiting for room returns
  }
  changed_.notify_all();
  boost::system::error_code ignored;
  upstream_.shutdown(tcp::socket::shutdown_receive, ignored); // a reader still waiting for a frame returns
  reader_.join();
}

size_t StageInbox::queued() const
{
  return waiting_.size() - (!waiting_.empty() && waiting_.back().frame.type == FrameType::End ? 1 : 0);
}

void StageInbox::read_all()
{
  try {
    for (;;) {
      if (!drop_oldest_) { // block: a frame is taken only into a free place of the queue
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return queued() < depth_ || stopping_; });
        if (stopping_)
          return;
      }
      Arrival arrival;
      arrival.receive_start = monotonic_seconds();
      arrival.frame         = read_frame(upstream_, previous_);
      arrival.receive_end   = monotonic_seconds();
      const bool end        = arrival.frame.type == FrameType::End;
      if (arrival.frame.type == FrameType::Tensor)
        write_ack(upstream_, arrival.frame.index, previous_);
      std::lock_guard lock(mutex_);
      waiting_.push_back(std::move(arrival));
      changed_.notify_all();
      if (end)
        return;
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    failure_ = std::current_exception();
    changed_.notify_all();
  }
}

Arrival StageInbox::next()
{
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !waiting_.empty() || failure_; });
  if (waiting_.empty())
    std::rethrow_exception(failure_);
  while (drop_oldest_ && queued() > depth_) {
    waiting_.pop_front();
    ++dropped_;
  }
  Arrival arrival = std::move(waiting_.front());
  waiting_.pop_front();
  changed_.notify_all(); // a place in the queue is free
  return arrival;
}

long long StageInbox::dropped() const
{
  std::lock_guard lock(mutex_);
  return dropped_;
}

} // namespace pipesplit::trial
