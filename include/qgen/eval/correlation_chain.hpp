// Where the events' correlation goes on its way through a Born machine (issue 12): Pearson
// matrices of each step of the chain, measured separately so that a loss of correlation can be
// laid at the step that causes it.
//
//   events         the data events (in the binning's range or not: as the user gave them)
//   bins           the target P(x), each feature at its bin centre
//   bins_decoded   the target decoded as the run decodes (the binning's decoding). Given the
//                  state s the features are drawn independently, feature a with mean m_a(s)
//                  and variance v_a(s), so
//                    cov(x_a, x_b) = cov(m_a, m_b) + [a = b] E[v_a]
//                  computed exactly, without sampling noise. Uniform decoding: m the bin centre,
//                  v = w^2/12 (w the width); quantile decoding: the moments of the bin's (or
//                  with state_quantiles the state's) piecewise-linear inverse CDF, m and v
//                  then depending on the state (data/bin_quantiles.hpp). This is the most
//                  correlation an exact model can return.
//   model, model_decoded   the same for the model's exact distribution (/model/probs)
//   samples        the decoded samples (empirical)
#pragma once

#include <span>
#include <vector>

#include "qgen/data/binning.hpp"

namespace qgen::eval {

// centre: each feature at its bin centre; decoded: as Binning::decode draws it (exact moments).
enum class BinPosition { centre, decoded };

/// Pearson matrix [N * N] of a distribution over the binning's basis states, each feature at its
/// bin centre or spread over the bin as the binning decodes. NaN off the diagonal where a feature is constant.
std::vector<double> distribution_correlation(std::span<const double> probabilities,
                                             const data::Binning& binning, BinPosition position);

}  // namespace qgen::eval
