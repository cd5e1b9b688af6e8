// Where the events' correlation goes on its way through a Born machine (issue 12): Pearson
// matrices of each step of the chain, measured separately so that a loss of correlation can be
// laid at the step that causes it.
//
//   events         the data events (in the binning's range or not: as the user gave them)
//   bins           the target P(x), each feature at its bin centre
//   bins_decoded   the target decoded as qgen decodes: each value uniform inside its bin. The
//                  uniform draws are independent of each other, so the covariances are those of
//                  the centres and each variance grows by E[w^2]/12 (w the bin width): computed
//                  exactly, without sampling noise. This is the most correlation an exact model
//                  can return.
//   model, model_decoded   the same for the model's exact distribution (/model/probs)
//   samples        the decoded samples (empirical)
#pragma once

#include <span>
#include <vector>

#include "qgen/data/binning.hpp"

namespace qgen::eval {

enum class BinPosition { centre, uniform };

/// Pearson matrix [N * N] of a distribution over the binning's basis states, each feature at its
/// bin centre or spread uniformly over the bin. NaN off the diagonal where a feature is constant.
std::vector<double> distribution_correlation(std::span<const double> probabilities,
                                             const data::Binning& binning, BinPosition position);

}  // namespace qgen::eval
