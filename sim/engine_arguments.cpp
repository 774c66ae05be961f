#include "sim/engine_arguments.hpp"

namespace pipesplit::sim {

EngineArguments::EngineArguments(const std::vector<std::string>& extra) : words_{"pipesplit"}
{
#ifdef PIPESPLIT_SIMGRID_THREAD_CONTEXTS
  words_.emplace_back("--cfg=contexts/factory:thread");
#endif
  words_.insert(words_.end(), extra.begin(), extra.end());
  for (auto& word : words_)
    pointers_.push_back(word.data());
  argc_ = static_cast<int>(words_.size());
  pointers_.push_back(nullptr);
}

} // namespace pipesplit::sim
