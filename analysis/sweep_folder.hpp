#pragma once
// A sweep folder knows what made it: DIR/provenance.json holds the sweep's identity (pipesplit's version and the
// SHA-256 of every input file: the sweep file, the base scenario, its platform, model and calibration, the model
// files an axis names; the SimGrid items given with --cfg) and, informative, the command line and the paths. Results of different inputs never mix:
//  - a fresh folder is claimed (provenance written before any result);
//  - a folder of the same sweep is completed only with --resume;
//  - a folder of another sweep (or with results but no provenance) is refused, naming what differs, unless --force,
//    which starts it over;
//  - `sweep merge` takes only shards of one identity, into a folder that holds no other sweep.

#include "analysis/layer.hpp"
#include "analysis/sweep_spec.hpp"
#include "core/provenance.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pipesplit::analysis {

// The input files of a sweep, hashed now.
std::vector<InputFile> sweep_input_files(const SweepSpec& spec);

// The folder's record: the provenance, and under "identity" what must match for two folders' rows to be the same
// sweep's (versions, digests and the SimGrid configuration items of the replays, from the sweep file and from --cfg:
// no paths, no other part of the command line).
nlohmann::json sweep_record(const Provenance& provenance, const std::vector<std::string>& simulate_cfg);

enum class FolderUse { Start, Resume };

// Check that `dir` may receive the results of the sweep `record` describes, and claim it (write provenance.json;
// with `force`, remove results of another sweep first). Throws InputError naming the folder and what differs.
void claim_sweep_folder(const std::string& dir, const nlohmann::json& record, FolderUse use, bool force);

// The record of a shard or sweep folder; throws InputError when it has none.
nlohmann::json read_sweep_record(const std::string& dir);

// Throws InputError unless the two records are of the same sweep, naming `theirs_where` and what differs.
void expect_same_sweep(const nlohmann::json& ours, const nlohmann::json& theirs, const std::string& theirs_where);

} // namespace pipesplit::analysis
